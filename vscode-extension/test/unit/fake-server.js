'use strict';
// A minimal LSP server over stdin/stdout for the extension tests. Usage:
//   fake-server.js LOGFILE [MODE]
// Appends one JSON line per event to LOGFILE: its argv on start, then every method it receives.
// MODE "crash" exits with status 2 at once (like a mintc without an `lsp` command);
// MODE "crash-later" exits with status 1 shortly after the client's `initialized`.
const fs = require('fs');

const [logFile, mode] = process.argv.slice(2);
const log = (event) => fs.appendFileSync(logFile, JSON.stringify(event) + '\n');
log({ event: 'start', argv: process.argv.slice(2), pid: process.pid });

if (mode === 'crash') {
  process.stderr.write('mintc: error: unknown command "lsp"\n');
  process.exit(2);
}

function send(message) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
  process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
  process.stdout.write(body);
}

let buffer = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const header = buffer.slice(0, headerEnd).toString('ascii');
    const match = /Content-Length: (\d+)/i.exec(header);
    const length = match ? Number(match[1]) : 0;
    if (buffer.length < headerEnd + 4 + length) return;
    const message = JSON.parse(buffer.slice(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
    buffer = buffer.slice(headerEnd + 4 + length);
    log({ event: 'message', method: message.method });
    if (message.method === 'initialized' && mode === 'crash-later') setTimeout(() => process.exit(1), 20);
    if (message.method === 'initialize') {
      send({ id: message.id, result: { capabilities: { textDocumentSync: 1 }, serverInfo: { name: 'fake-mintc' } } });
    } else if (message.method === 'shutdown') {
      send({ id: message.id, result: null });
    } else if (message.method === 'exit') {
      process.exit(0);
    } else if (message.id !== undefined && message.method !== undefined) {
      send({ id: message.id, result: null });
    }
  }
});
process.stdin.on('end', () => process.exit(0));
