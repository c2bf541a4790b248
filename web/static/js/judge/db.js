// 评委平板的本机存储（IndexedDB）：每次改动立即写入，关页面、重启都不会丢。
const DB_NAME = "arena-judge";
const STORES = ["kv", "sheets", "outbox"];
let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        for (const name of STORES) {
          if (!req.result.objectStoreNames.contains(name)) req.result.createObjectStore(name);
        }
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  return opening;
}

function done(tx, req) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(req ? req.result : undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export async function get(store, key) {
  const tx = (await open()).transaction(store, "readonly");
  return done(tx, tx.objectStore(store).get(key));
}

export async function put(store, key, value) {
  const tx = (await open()).transaction(store, "readwrite");
  tx.objectStore(store).put(value, key);
  return done(tx);
}

export async function del(store, key) {
  const tx = (await open()).transaction(store, "readwrite");
  tx.objectStore(store).delete(key);
  return done(tx);
}

export async function all(store) {
  const tx = (await open()).transaction(store, "readonly");
  return done(tx, tx.objectStore(store).getAll());
}
