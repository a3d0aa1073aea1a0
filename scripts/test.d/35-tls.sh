# shellcheck shell=bash
# wss:// end to end: the server's TLS port with its self-signed certificate (start_server).
#   Chromium: page over http, echo over wss with --ignore-certificate-errors-spki-list
#   Node:     the package's Node entry + ws: refused by default, sslVerify:false connects,
#             header reaches the server
section "tls: wss:// in Chromium (SPKI-pinned) and Node (sslVerify, header)"
node tests/tls/run.mjs --base "http://127.0.0.1:$SERVER_PORT" --tls-port "$SERVER_TLS_PORT" \
  --cert-dir "$SERVER_TLS_CERT_DIR"
node tests/tls/node.mjs --port "$SERVER_PORT" --tls-port "$SERVER_TLS_PORT" --cert-dir "$SERVER_TLS_CERT_DIR"
