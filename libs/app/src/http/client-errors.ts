import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, problem } from './problem';

/**
 * Requests that Node's HTTP parser refuses before express sees them (a request line or headers
 * beyond the 16 KiB limit, malformed syntax) still get problem+json, not Node's bare status
 * line: a client can tell "your request was too large" from a broken connection.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  // An Expect other than 100-continue: Node would answer a bare 417 without a body.
  server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
    const body = JSON.stringify(problem(417, 'expectation-failed', 'The only Expect this server meets is 100-continue.'));
    response.writeHead(417, { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
    response.end(body);
  });
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    // Nothing sensible can be written to a socket that is gone or already carries a response.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, reason, code, detail] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'headers-too-large', 'The request line and headers exceed the 16 KiB limit.']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'Request Timeout', 'request-timeout', 'The request was not received in time.']
          : [400, 'Bad Request', 'malformed-request', 'The request is not valid HTTP.'];
    const body = JSON.stringify(problem(status, code, detail));
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
