// mpsocket against WeChat's own typings (miniprogram-api-typings), as a mini-program
// project built for H5 sees both (tsconfig.wechat.json: strict; skipLibCheck on, because
// miniprogram-api-typings and TypeScript's DOM lib declare some of the same globals).
import {
  closeSocket,
  connectSocket,
  createSocketTask,
  getNetworkType,
  offNetworkWeakChange,
  onNetworkStatusChange,
  onNetworkWeakChange,
  onSocketClose,
  onSocketError,
  onSocketMessage,
  onSocketOpen,
  sendSocketMessage,
  SocketTask,
} from 'mpsocket';

/** Compiles only when T is true. */
function assertType<T extends true>(): T | undefined {
  return undefined;
}
declare const task: SocketTask;

// ---- compatibility with WeChat's typings (miniprogram-api-typings) ---------------------------
// A mpsocket SocketTask can be used wherever WeChat's SocketTask is expected.
const asWechat: WechatMiniprogram.SocketTask = task;
assertType<SocketTask extends WechatMiniprogram.SocketTask ? true : false>();
asWechat.send({ data: 'x' });

// WeChat's option objects are accepted as they are.
declare const wxConnect: WechatMiniprogram.ConnectSocketOption;
declare const wxSend: WechatMiniprogram.SendSocketMessageOption;
declare const wxClose: WechatMiniprogram.CloseSocketOption;
declare const wxTaskSend: WechatMiniprogram.SocketTaskSendOption;
declare const wxTaskClose: WechatMiniprogram.SocketTaskCloseOption;
declare const wxNetwork: WechatMiniprogram.GetNetworkTypeOption;
connectSocket(wxConnect);
createSocketTask(wxConnect);
sendSocketMessage(wxSend);
closeSocket(wxClose);
task.send(wxTaskSend);
task.close(wxTaskClose);
getNetworkType(wxNetwork);

// So are listeners written against WeChat's types.
declare const wxOnOpen: WechatMiniprogram.OnOpenCallback;
declare const wxOnMessage: WechatMiniprogram.SocketTaskOnMessageCallback;
declare const wxOnError: WechatMiniprogram.UDPSocketOnErrorCallback;
declare const wxOnClose: WechatMiniprogram.SocketTaskOnCloseCallback;
task.onOpen(wxOnOpen);
task.onMessage(wxOnMessage);
task.onError(wxOnError);
task.onClose(wxOnClose);
declare const wxOnSocketOpen: WechatMiniprogram.OnSocketOpenCallback;
declare const wxOnSocketMessage: WechatMiniprogram.OnSocketMessageCallback;
declare const wxOnSocketError: WechatMiniprogram.OnSocketErrorCallback;
declare const wxOnSocketClose: WechatMiniprogram.OnSocketCloseCallback;
onSocketOpen(wxOnSocketOpen);
onSocketMessage(wxOnSocketMessage);
onSocketError(wxOnSocketError);
onSocketClose(wxOnSocketClose);
declare const wxOnStatus: WechatMiniprogram.OnNetworkStatusChangeCallback;
declare const wxOnWeak: WechatMiniprogram.OnNetworkWeakChangeCallback;
onNetworkStatusChange(wxOnStatus);
onNetworkWeakChange(wxOnWeak);

// The legacy functions and the network listeners fit WeChat's own declarations of them.
// (Not offNetworkStatusChange: WeChat's typings give its listener `(res: GeneralCallbackResult)`,
// where mpsocket's is the listener that was added, `(res: NetworkStatusResult)`.)
const wxLike: Pick<
  WechatMiniprogram.Wx,
  | 'onSocketOpen'
  | 'onSocketMessage'
  | 'onSocketError'
  | 'onSocketClose'
  | 'onNetworkStatusChange'
  | 'onNetworkWeakChange'
  | 'offNetworkWeakChange'
> = {
  onSocketOpen,
  onSocketMessage,
  onSocketError,
  onSocketClose,
  onNetworkStatusChange,
  onNetworkWeakChange,
  offNetworkWeakChange,
};
console.log(wxLike);
export {};
