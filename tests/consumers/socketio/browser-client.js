// weapp.socket.io, written for WeChat mini-programs, unchanged over mpsocket's wx shim in a
// page (bundled by build.sh). Writes `ack: hello from Chromium` once the server acknowledged.
import 'mpsocket/shim';
import io from 'weapp.socket.io';

const socket = io(`ws://${location.host}`, { reconnection: false });
socket.on('connect', () => {
  socket.emit('hello', 'hello from Chromium', (answer) => {
    document.body.append(answer);
    socket.close();
  });
});
socket.on('connect_error', (err) => console.error(`connect_error: ${err.message}`));
