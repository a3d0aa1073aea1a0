
// ---- MUTANT complete-twice (scripts/mutants): connectSocket's complete runs twice ----
// sanity: ^(import|echo: text)
import { connectSocket as __mutantConnect } from './mpsocket.js';
export function connectSocket(options) {
  if (options && typeof options === 'object' && typeof options.complete === 'function') {
    const complete = options.complete;
    let calls = 0;
    options = {
      ...options,
      complete(res) {
        complete(res);
        if (calls++ === 0) setTimeout(() => complete(res), 0);
      },
    };
  }
  return __mutantConnect(options);
}
