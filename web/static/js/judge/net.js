// 连接状态：页面发出的每个请求都经过这里。请求连续失败后又有一次成功，就通知页面
// “连接恢复了”——服务器重启不会触发浏览器的 online 事件，只有这样才知道该立即补发。
const TIMEOUT = 15000;
const listeners = { up: [], down: [] };
let reachable = null; // null: not tried yet; true: the last request got an answer; false: none

export function on(event, fn) { listeners[event].push(fn); }

export function isUp() { return reachable !== false && navigator.onLine; }

function set(value) {
  const was = reachable;
  reachable = value;
  if (value && was === false) for (const fn of listeners.up) fn();
  if (!value && was !== false) for (const fn of listeners.down) fn();
}

// Any answer from the server (even a 4xx or 5xx) means the connection works.
export function answered() { set(true); }
export function unreachable() { set(false); }

// fetch with a time limit; resolves to the Response, or null when no answer came.
export async function request(url, options = {}, timeout = TIMEOUT) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeout);
  try {
    const response = await fetch(url, { credentials: "same-origin", ...options, signal: ctrl.signal });
    answered();
    return response;
  } catch (_) {
    unreachable();
    return null;
  } finally {
    clearTimeout(timer);
  }
}
