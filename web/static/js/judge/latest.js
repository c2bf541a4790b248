// 串行刷新：同一时刻只有一次刷新在进行；进行中又被要求刷新时，结束后再刷新一次。
// Without this, answers to overlapping state requests can land out of order and an older state
// (say, "waiting for the contestant") would overwrite a newer one ("scoring is open").
export function latest(task) {
  let running = null;
  let again = false;
  return function run() {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await task();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
}
