
// ---- MUTANT send-drop (scripts/mutants): each task's first valid send is lost ----
// sanity: ^(import|validation|connectSocket: returns)
import { connectSocket as __mutantConnect } from './mpsocket.js';
export function connectSocket(options) {
  const task = __mutantConnect(options);
  if (task && typeof task === 'object') {
    const realSend = task.send;
    let dropped = false;
    Object.defineProperty(task, 'send', {
      configurable: true,
      value(o) {
        const d = o && o.data;
        const valid = typeof d === 'string' || d instanceof ArrayBuffer || ArrayBuffer.isView(d);
        if (!dropped && valid && task.readyState === 1) {
          dropped = true;
          const res = { errMsg: 'sendSocketMessage:ok' };
          Promise.resolve().then(() => {
            if (o.success) o.success(res);
            if (o.complete) o.complete(res);
          });
          return undefined;
        }
        return realSend.call(task, o);
      },
    });
  }
  return task;
}
