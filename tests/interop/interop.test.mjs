// actionhost driven by the real published actionhero Node client (actionhero-node-client).
// Run by run.sh with ACTIONHOST_BINARY, ACTIONHOST_CONFIG and ACTIONHOST_PLUGIN_DIR set.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import clientModule from "actionhero-node-client";

const ActionheroNodeClient = clientModule.default ?? clientModule;

function startServer() {
  const server = spawn(process.env.ACTIONHOST_BINARY, [
    "--config", process.env.ACTIONHOST_CONFIG,
    "--set", "socket.port=0",
    "--set", "socket.bind=127.0.0.1",
    "--set", `plugins.dir=${process.env.ACTIONHOST_PLUGIN_DIR}`,
  ]);
  let output = "";
  const port = new Promise((resolve, reject) => {
    server.stdout.on("data", (chunk) => {
      output += chunk;
      const match = output.match(/listening on [^ ]*:(\d+)/);
      if (match) resolve(Number(match[1]));
    });
    server.on("exit", (code) => reject(new Error(`actionhost exited (${code}):\n${output}`)));
  });
  return { server, port };
}

async function connect(port) {
  const client = new ActionheroNodeClient();
  client.on("error", () => {});
  await client.connect({ host: "127.0.0.1", port, reconnectTimeout: 0 });
  return client;
}

test("the actionhero Node client works against actionhost", async () => {
  const { server, port: portPromise } = startServer();
  const port = await portPromise;
  const alice = await connect(port);
  const bob = await connect(port);
  try {
    assert.match(alice.id, /^[0-9a-f-]{36}$/);
    assert.equal(alice.details.data.remoteIP, "127.0.0.1");
    assert.deepEqual(alice.details.data.rooms, ["defaultRoom"]);

    const random = await alice.action("randomNumber");
    assert.equal(random.error, null);
    assert.equal(typeof random.data.randomNumber, "number");

    const cached = await alice.actionWithParams("cacheTest", { key: "interop", value: "from node" });
    assert.equal(cached.error, null);
    assert.equal(cached.data.cacheTestResults.saveResp, true);
    assert.equal(cached.data.cacheTestResults.loadResp.value, "from node");

    const refused = await alice.actionWithParams("cacheTest", { key: "k", value: "ab" });
    assert.equal(refused.error.message, "Error: `value` should be at least 3 letters long");

    assert.equal((await alice.roomAdd("anotherRoom")).error, null);
    assert.equal((await bob.roomAdd("anotherRoom")).error, null);
    const heard = once(bob, "say");
    assert.equal((await alice.say("anotherRoom", "hello from node")).error, null);
    const [message] = await heard;
    assert.equal(message.message, "hello from node");
    assert.equal(message.from, alice.id);

    const view = await bob.roomView("anotherRoom");
    assert.equal(view.data.data.membersCount, 2);
  } finally {
    await alice.disconnect();
    await bob.disconnect();
    server.kill("SIGTERM");
    const [code] = await once(server, "exit");
    assert.equal(code, 0);
  }
});
