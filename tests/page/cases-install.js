// Page cases ported from the wasm-bindgen-test suite tests/install.rs (contract A5, the
// drop-in shim): install() on every platform, no overwrite, the article's wx.rtc code, the
// Alipay and Taro shapes, uni's task. None of them was covered by cases.js.

const SOCKET_FNS = [
  'connectSocket',
  'createSocketTask',
  'sendSocketMessage',
  'closeSocket',
  'onSocketOpen',
  'onSocketMessage',
  'onSocketError',
  'onSocketClose',
];
const NETWORK_FNS = ['getNetworkType', 'onNetworkStatusChange', 'offNetworkStatusChange', 'onNetworkWeakChange', 'offNetworkWeakChange'];
const LEGACY_OFF = ['offSocketOpen', 'offSocketMessage', 'offSocketError', 'offSocketClose'];
const isPromise = (v) => Object.prototype.toString.call(v) === '[object Promise]';

/** Runs fn with globalThis[name] restored (or deleted) afterwards. */
async function withGlobal(name, fn) {
  const had = Object.prototype.hasOwnProperty.call(globalThis, name);
  const saved = globalThis[name];
  try {
    return await fn();
  } finally {
    if (had) globalThis[name] = saved;
    else delete globalThis[name];
  }
}

export const installCases = [
  [
    'install: every platform gets its shape (wx qq swan uni: WeChat; tt: no legacy globals; my: Alipay; taro); bad input → undefined (install.rs)',
    async (h) => {
      h.eq(typeof h.mp.install, 'function', 'typeof install');
      for (const p of ['wx', 'qq', 'swan', 'uni', 'tt', 'my', 'taro']) {
        const target = {};
        const ns = h.mp.install(target, { platform: p });
        h.ok(ns !== null && typeof ns === 'object', `${p}: install returns an object`);
        h.ok(Object.is(ns, target[p]), `${p}: installed on the target`);
        for (const f of SOCKET_FNS) {
          const legacy = f !== 'connectSocket' && f !== 'createSocketTask';
          h.eq(typeof ns[f] === 'function', !(p === 'tt' && legacy), `${p}.${f} is a function`);
        }
        for (const f of NETWORK_FNS) {
          h.eq(typeof ns[f] === 'function', p !== 'my' || !f.includes('Weak'), `${p}.${f} is a function`);
        }
        h.eq(typeof ns.offSocketOpen === 'function', p === 'my', `${p}.offSocketOpen is a function`);
        h.eq(ns.rtc !== null && typeof ns.rtc === 'object', p === 'wx', `${p}.rtc is an object`);
      }
      for (const [what, call] of [
        ['install({}, {platform: "xx"})', () => h.mp.install({}, { platform: 'xx' })],
        ['install(3, undefined)', () => h.mp.install(3, undefined)],
      ]) {
        let r;
        try {
          r = call();
        } catch (e) {
          throw new Error(`${what} threw ${e}`);
        }
        h.eq(r, undefined, what);
      }
    },
  ],
  [
    'install: members the object already has are kept unless overwrite: true; the default target is globalThis (install.rs)',
    async (h) => {
      const mine = () => 'mine';
      const target = { wx: { connectSocket: mine, login: 'x' } };
      let wx = h.mp.install(target, { platform: 'wx' });
      h.ok(Object.is(wx.connectSocket, mine), "kept the page's own connectSocket");
      h.eq(wx.login, 'x', 'wx.login');
      h.eq(typeof wx.sendSocketMessage, 'function', 'added the missing sendSocketMessage');
      wx = h.mp.install(target, { platform: 'wx', overwrite: true });
      h.ok(!Object.is(wx.connectSocket, mine), 'replaced with overwrite: true');
      h.eq(typeof wx.connectSocket, 'function', 'typeof the new connectSocket');
      h.eq(wx.login, 'x', 'wx.login after overwrite (not a socket member)');
      await withGlobal('swan', () => {
        const ns = h.mp.install(undefined, { platform: 'swan' });
        h.ok(ns !== undefined && Object.is(ns, globalThis.swan), 'install(undefined, {platform: "swan"}) installs on globalThis');
      });
    },
  ],
  [
    "install: the article's wx.rtc code runs unchanged and gets its echoes (install.rs)",
    async (h) => {
      await withGlobal('wx', async () => {
        const wx = h.mp.install(globalThis, { platform: 'wx', overwrite: true });
        const logged = [];
        const saved = console.log;
        console.log = (...args) => {
          logged.push(...args);
          saved.apply(console, args);
        };
        let out;
        try {
          // The article's first listing, verbatim but for the URL; it returns its send function.
          const code = `
let socketOpened = false;
let socketMsgQueue = [];
const socketTask = wx.rtc.createSocketTask({
url: '${h.ws('/echo')}',
header: {
'content-type': 'application/json'
},
sslVerify: true,
success: function () {
socketOpened = true;
for (let i = 0; i < socketMsgQueue.length; i++) {
sendSocketMessage(socketMsgQueue[i])
}
socketMsgQueue = []
}
})
function sendSocketMessage(msg) {
if (socketOpened) {
wx.rtc.sendSocketMessage({
data: msg
})
} else {
socketMsgQueue.push(msg)
}
}
wx.rtc.onSocketMessage(function (res) {
console.log('收到服务器内容:' + res.data)
})
sendSocketMessage('你好');
return [sendSocketMessage, socketTask];
`;
          out = new Function(code)();
          h.ok(out[1] !== null && typeof out[1] === 'object', 'wx.rtc.createSocketTask returned a task');
          h.tasks.push(out[1]);
          out[0]('second');
          await h.waitFor(() => logged.filter((v) => typeof v === 'string').length >= 2, () => `two console.log lines (got ${JSON.stringify(logged)})`);
        } finally {
          console.log = saved;
          h.resetLegacy(wx.rtc);
          h.resetLegacy();
        }
        h.eq(logged.filter((v) => typeof v === 'string'), ['收到服务器内容:你好', '收到服务器内容:second'], 'what the article printed');
        const task = out[1];
        task.close({});
        await h.waitFor(() => task.readyState === 3, () => `readyState 3 after close (is ${task.readyState})`, 1000);
      });
    },
  ],
  [
    'install: Alipay my: no task without multiple, base64 isBuffer both ways, offSocketMessage, {error, errorMessage} failures, closeSocket (install.rs)',
    async (h) => {
      const my = h.mp.install({}, { platform: 'my' });
      try {
        const log = h.log('my');
        my.onSocketOpen(log.cb('open'));
        my.onSocketClose(log.cb('close'));
        h.eq(my.connectSocket({ url: h.ws('/echo') }), undefined, 'connectSocket without multiple returns');
        await log.wait('open');
        my.onSocketMessage(log.cb('message'));
        my.sendSocketMessage({ data: 'AAEC/w==', isBuffer: true });
        my.sendSocketMessage({ data: 'text' });
        await log.wait('message', 2);
        const msgs = log.all('message');
        h.has(msgs[0], { data: 'AAEC/w==', isBuffer: true }, 'binary echo (base64, isBuffer)');
        h.has(msgs[1], { data: 'text', isBuffer: false }, 'text echo');
        my.offSocketMessage();
        my.sendSocketMessage({ data: 'unheard' });
        await h.sleep(100);
        h.eq(log.count('message'), 2, 'onSocketMessage calls after offSocketMessage()');
        const failed = h.log('fail');
        my.connectSocket({ url: 'http://x', fail: failed.cb('fail') });
        await failed.wait('fail');
        const f = failed.get('fail');
        h.eq(f.error, 5, 'fail error');
        h.eq(f.errorMessage, 'connectSocket:fail invalid url "http://x"', 'fail errorMessage');
        h.eq(f.errMsg, undefined, 'fail errMsg');
        const task = my.connectSocket({ url: h.ws('/echo'), multiple: true });
        h.ok(task !== null && typeof task === 'object', 'connectSocket with multiple returns a task');
        h.tasks.push(task);
        const closed = h.log('closeSocket');
        my.closeSocket({ success: closed.cb('success') });
        await closed.wait('success');
        await h.waitFor(() => task.readyState === 3, () => `the multiple task CLOSED (readyState ${task.readyState})`, 1000);
        await log.wait('close');
        h.eq(log.count('close'), 1, 'onSocketClose calls (the bound task)');
      } finally {
        for (const off of LEGACY_OFF) my[off]?.();
        h.resetLegacy();
      }
    },
  ],
  [
    'install: taro.connectSocket returns a Promise of the task, rejecting with {errMsg} (install.rs)',
    async (h) => {
      const taro = h.mp.install({}, { platform: 'taro' });
      const p = taro.connectSocket({ url: h.ws('/echo') });
      h.ok(isPromise(p), `taro.connectSocket returns a Promise (got ${Object.prototype.toString.call(p)})`);
      const task = await p;
      h.ok(task !== null && typeof task === 'object' && typeof task.onOpen === 'function', 'resolves with a task');
      h.tasks.push(task);
      task.close({});
      await h.waitFor(() => task.readyState === 3, () => `readyState 3 after close (is ${task.readyState})`);
      let outcome;
      await taro.connectSocket({ url: 'nope' }).then(
        (v) => (outcome = { resolved: v }),
        (e) => (outcome = { rejected: e }),
      );
      h.ok('rejected' in outcome, 'an invalid url rejects');
      h.has(outcome.rejected, { errMsg: 'connectSocket:fail invalid url "nope"' }, 'rejection');
    },
  ],
  [
    'install: uni.connectSocket without callbacks returns the task (not a Promise), which opens, echoes and closes (install.rs)',
    async (h) => {
      const uni = h.mp.install({}, { platform: 'uni' });
      const task = uni.connectSocket({ url: h.ws('/echo') });
      h.ok(task !== null && typeof task === 'object', `uni.connectSocket returns an object (got ${task})`);
      h.ok(!isPromise(task) && typeof task.then !== 'function', 'the task, not a Promise');
      h.eq(typeof task.send, 'function', 'typeof task.send');
      h.tasks.push(task);
      h.eq(task.readyState, 0, 'readyState right after connectSocket');
      const log = h.log('uni');
      h.listen(task, log);
      await log.wait('open');
      h.eq(task.readyState, 1, 'readyState after onOpen');
      const sent = h.cb('uni task send');
      task.send({ data: 'uni', ...sent.opts });
      await h.expectSuccess(sent, 'sendSocketMessage:ok');
      await log.wait('message');
      h.eq(log.get('message'), { data: 'uni' }, 'echo');
      const closed = h.cb('uni task close');
      task.close({ ...closed.opts });
      await h.expectSuccess(closed, 'closeSocket:ok');
      await log.wait('close');
      h.eq(log.get('close'), { code: 1000, reason: 'normal closure' }, 'onClose payload');
      h.eq(task.readyState, 3, 'readyState after onClose');
      h.eq(log.names(), ['open', 'message', 'close'], 'events');
    },
  ],
];
