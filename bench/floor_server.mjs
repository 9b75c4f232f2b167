// The floor for the collector benchmark (issue 11): a Node.js HTTP server that does only what
// an acknowledgement must cost, append the body to a file and fdatasync it, then answer 200 with
// an empty body. Run with `node bench/floor_server.mjs FILE`; prints `listening PORT`.
import { createServer } from "node:http";
import { fdatasyncSync, openSync, writeSync } from "node:fs";

const fd = openSync(process.argv[2], "a", 0o600);
const server = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    writeSync(fd, Buffer.concat(chunks));
    fdatasyncSync(fd);
    response.writeHead(200, { "content-type": "application/x-protobuf", "content-length": 0 });
    response.end();
  });
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
