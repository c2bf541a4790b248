// 分数录入（拉练评分表与擂台赛评分表共用）：解析手输的分数、±0.5 步进、在分项下显示错误。
import { esc } from "./views.js";

export function parseScore(raw, max) {
  const text = raw.trim().replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[。．]/g, ".");
  if (text === "") return { value: null };
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return { error: "请输入数字，最多两位小数" };
  const value = Number(text);
  if (value > max) return { error: `超出范围：本项满分 ${max} 分，请输入 0～${max} 之间的分数` };
  return { value };
}

// One tap of − or +: from nothing, + starts at 0.5 and − at the maximum; always within 0..max.
export function stepValue(old, delta, max) {
  const base = old === null ? (delta > 0 ? 0 : max + 0.5) : old;
  return Math.min(max, Math.max(0, Math.round((base + delta) * 2) / 2));
}

export function showError(row, message) {
  const box = row.querySelector(".item-error");
  // Keep a range such as 0～10 on one line (a phone would otherwise break it after the ～).
  box.innerHTML = esc(message || "").replace(/(\d+(?:\.\d+)?～\d+(?:\.\d+)?)/g, '<span class="nowrap">$1</span>');
  box.hidden = !message;
  row.classList.toggle("invalid", Boolean(message));
}
