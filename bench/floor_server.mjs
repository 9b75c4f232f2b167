// The floor for the collector benchmark (issue 11): a Node.js HTTP server that does only what
// an acknowledgement must cost, append the body to a file and fdatasync it, then answer 200 with
// an empty body. Run with `node bench/floor_server.mjs FILE [async]`; prints `listening PORT`.
// By default the write and the fdatasync are synchronous, on the event loop's thread (the
// cheapest acknowledgement there is, and a stalled disk freezes the server); with `async` they
// go through libuv's thread pool, as Beacon's do through Deno's.
import { createServer } from "node:http";
import { fdatasync, fdatasyncSync, openSync, write, writeSync } from "node:fs";

const fd = openSync(process.argv[2], "a", 0o600);
const asynchronous = process.argv[3] === "async";
const respond = (response) => {
  response.writeHead(200, { "content-type": "application/x-protobuf", "content-length": 0 });
  response.end();
};
const server = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const body = Buffer.concat(chunks);
    if (!asynchronous) {
      writeSync(fd, body);
      fdatasyncSync(fd);
      respond(response);
      return;
    }
    write(fd, body, (error) => {
      if (error) throw error;
      fdatasync(fd, (error) => {
        if (error) throw error;
        respond(response);
      });
    });
  });
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
