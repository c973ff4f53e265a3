import { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { PassThrough } from "node:stream";

export interface InnerRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface InnerResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Runs one request through an Express app in-process, without a socket: how $batch items reach
 * the same routes, middleware, auth and faults as top-level requests, whether or not the sandbox
 * is listening. The request is a real IncomingMessage over a stream (so body parsing works); the
 * response is a real ServerResponse whose write/end are captured.
 */
export function dispatchInProcess(handler: NodeHandler, input: InnerRequest, onRequest?: (req: IncomingMessage) => void): Promise<InnerResponse> {
  return new Promise((resolve) => {
    // A readable stand-in socket: body parsers skip requests whose socket is not readable.
    const socket = new PassThrough() as unknown as Socket;
    const req = new IncomingMessage(socket);
    req.method = input.method.toUpperCase();
    req.url = input.url;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(input.headers)) headers[k.toLowerCase()] = v;
    if (input.body) headers["content-length"] = String(input.body.length);
    req.headers = headers;
    if (input.body) req.push(input.body);
    req.push(null);
    // As Node's HTTP parser does once a message is fully received: body parsers (on-finished)
    // then see a consumed body as finished instead of reading the spent stream a second time.
    req.complete = true;
    onRequest?.(req);

    const res = new ServerResponse(req);
    const chunks: Buffer[] = [];
    let done = false;
    const collect = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === "function") return;
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"));
    };
    const flatHeaders = (): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.getHeaders())) {
        if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : String(v);
      }
      return out;
    };
    res.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
      collect(chunk, encoding);
      const callback = typeof encoding === "function" ? encoding : cb;
      if (typeof callback === "function") callback();
      return true;
    }) as ServerResponse["write"];
    res.end = ((chunk?: unknown, encoding?: unknown, cb?: unknown) => {
      if (done) return res;
      done = true;
      collect(chunk, encoding);
      resolve({ status: res.statusCode, headers: flatHeaders(), body: Buffer.concat(chunks) });
      res.emit("finish");
      const callback = typeof chunk === "function" ? chunk : typeof encoding === "function" ? encoding : cb;
      if (typeof callback === "function") callback();
      return res;
    }) as ServerResponse["end"];
    handler(req, res);
  });
}
