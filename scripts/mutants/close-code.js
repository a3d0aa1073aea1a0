
// ---- MUTANT close-code (scripts/mutants): onClose listeners always get {1000, ''} ----
// sanity: ^(import|echo: text)
import { connectSocket as __mutantConnect } from './mpsocket.js';
export function connectSocket(options) {
  const task = __mutantConnect(options);
  if (task && typeof task === 'object') {
    const realOnClose = task.onClose;
    Object.defineProperty(task, 'onClose', {
      configurable: true,
      value(listener) {
        return realOnClose.call(task, () => listener({ code: 1000, reason: '' }));
      },
    });
  }
  return task;
}
