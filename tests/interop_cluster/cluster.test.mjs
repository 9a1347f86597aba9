// One cluster of a real actionhero 20.0.0 server (from npm) and an actionhost server, sharing a
// redis-server this test starts (same token, channel "actionhero"; SPEC §9), checked over real
// TCP sockets with the actionhero socket protocol.
// Run by run.sh with ACTIONHOST_BINARY, ACTIONHOST_CONFIG, ACTIONHOST_PLUGIN_DIR (shipped plugins
// plus extender.so) and ACTIONHERO_DIR (the generated actionhero project) set.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";

const TOKEN = `interop-cluster-${process.pid}`;
const CHANNEL = "actionhero";
const WAIT_MS = 20000; // the longest any one condition is waited for

for (const name of ["ACTIONHOST_BINARY", "ACTIONHOST_CONFIG", "ACTIONHOST_PLUGIN_DIR", "ACTIONHERO_DIR"]) {
  if (!process.env[name]) throw new Error(`${name} is not set (run this through run.sh)`);
}

// ---- processes ------------------------------------------------------------------------------

const processes = [];

// A child process whose stdout and stderr are kept, so that a line can be waited for and
// everything shown when a check fails.
class Proc {
  constructor(name, command, args, options = {}) {
    this.name = name;
    this.output = "";
    this.exitCode = undefined;
    this.waiters = new Set();
    this.child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    processes.push(this);
    const take = (chunk) => {
      this.output += chunk;
      for (const waiter of this.waiters) waiter();
    };
    this.child.stdout.setEncoding("utf8").on("data", take);
    this.child.stderr.setEncoding("utf8").on("data", take);
    this.exited = new Promise((resolve) => {
      const done = (code, signal) => {
        if (this.exitCode !== undefined) return;
        this.exitCode = code ?? signal;
        for (const waiter of this.waiters) waiter();
        resolve(this.exitCode);
      };
      this.child.on("exit", done);
      this.child.on("error", (error) => {
        this.output += `\n[could not run ${command}: ${error.message}]\n`;
        done(null, "spawn-error");
      });
    });
  }

  get running() {
    return this.exitCode === undefined;
  }

  // Resolves with the first match of `regex` in the output; rejects when the process exits
  // first or after `timeoutMs`.
  waitForOutput(regex, what, timeoutMs = WAIT_MS) {
    return new Promise((resolve, reject) => {
      let timer;
      const check = () => {
        const match = this.output.match(regex);
        if (match) {
          finish();
          resolve(match);
        } else if (!this.running) {
          finish();
          reject(new Error(`${this.name} exited (${this.exitCode}) before ${what}:\n${this.output}`));
        }
      };
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      timer = setTimeout(() => {
        finish();
        reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms:\n${this.output}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  // SIGTERM, then SIGKILL if it has not exited within `graceMs`. Resolves with the exit code
  // (or signal name).
  async stop(graceMs = 15000) {
    if (!this.running) return this.exitCode;
    this.child.kill("SIGTERM");
    let timer;
    const late = new Promise((resolve) => {
      timer = setTimeout(() => resolve("late"), graceMs);
    });
    const result = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (result === "late") {
      this.output += `\n[did not exit within ${graceMs} ms of SIGTERM: killed]\n`;
      this.child.kill("SIGKILL");
      await this.exited;
      return "SIGKILL";
    }
    return result;
  }
}

// Whatever happens to the test runner, no child outlives it.
process.on("exit", () => {
  for (const proc of processes) if (proc.running) proc.child.kill("SIGKILL");
});

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function tryConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

// Waits until `port` accepts a TCP connection (polling every 50 ms), failing at once if `proc`
// exits and after `timeoutMs`.
async function waitForPort(proc, port, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!proc.running) throw new Error(`${proc.name} exited (${proc.exitCode}) before port ${port} accepted:\n${proc.output}`);
    if (await tryConnect(port)) return;
    if (Date.now() > deadline) throw new Error(`${proc.name}: port ${port} did not accept within ${timeoutMs} ms:\n${proc.output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// ---- a socket client of the actionhero protocol -------------------------------------------

class LineClient {
  static async connect(name, port) {
    const client = new LineClient(name);
    await new Promise((resolve, reject) => {
      client.socket = net.connect({ port, host: "127.0.0.1" }, resolve);
      client.socket.once("error", reject);
    });
    client.socket.on("error", () => {});
    client.socket.setEncoding("utf8");
    client.socket.on("data", (chunk) => client.take(chunk));
    client.socket.on("close", () => {
      client.closed = true;
      client.wake();
    });
    client.welcome = await client.next("api");
    return client;
  }

  constructor(name) {
    this.name = name;
    this.buffer = "";
    this.queues = { response: [], user: [], api: [] };
    this.waiters = new Set();
    this.closed = false;
    this.transcript = []; // every line sent and received, for the failure report
  }

  take(chunk) {
    this.buffer += chunk;
    let end;
    while ((end = this.buffer.indexOf("\n")) >= 0) {
      const line = this.buffer.slice(0, end).replace(/\r$/, "");
      this.buffer = this.buffer.slice(end + 1);
      if (line === "") continue;
      this.transcript.push(`<- ${line}`);
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        message = { unparsed: line, context: "response" };
      }
      (this.queues[message.context] ?? this.queues.response).push(message);
    }
    this.wake();
  }

  wake() {
    for (const waiter of this.waiters) waiter();
  }

  // The next line of `context` ("response", "user" or "api").
  next(context, timeoutMs = WAIT_MS) {
    return new Promise((resolve, reject) => {
      let timer;
      const check = () => {
        if (this.queues[context].length > 0) {
          finish();
          resolve(this.queues[context].shift());
        } else if (this.closed) {
          finish();
          reject(new Error(`${this.name}: connection closed while waiting for a "${context}" line`));
        }
      };
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      timer = setTimeout(() => {
        finish();
        reject(new Error(`${this.name}: no "${context}" line within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  send(line) {
    this.transcript.push(`-> ${line}`);
    this.socket.write(`${line}\n`);
  }

  // One request, one answer (requests are never pipelined here, so answers come in order).
  async request(line, timeoutMs = WAIT_MS) {
    assert.equal(this.queues.response.length, 0, `${this.name}: an unexpected answer is waiting`);
    this.send(line);
    return this.next("response", timeoutMs);
  }

  action(action, params, timeoutMs) {
    return this.request(JSON.stringify({ action, params }), timeoutMs);
  }

  close() {
    this.socket.destroy();
  }
}

// ---- the cluster ----------------------------------------------------------------------------

let redis; // Proc
let redisPort;
let channel; // Proc: redis-cli SUBSCRIBE actionhero, for the failure report
let actionhero; // Proc
let actionheroPort;
let actionhost; // Proc
let actionhostPort;
const clients = [];

async function startRedis() {
  for (let attempt = 1; ; ++attempt) {
    const port = await freePort();
    const proc = new Proc("redis-server", "redis-server", [
      "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
    ]);
    try {
      await waitForPort(proc, port, WAIT_MS);
      return [proc, port];
    } catch (error) {
      await proc.stop();
      // Another process may have taken the free port in between: try another one.
      if (attempt === 3) throw error;
    }
  }
}

async function startActionhero() {
  for (let attempt = 1; ; ++attempt) {
    const port = await freePort();
    const proc = spawnActionhero(port);
    try {
      await waitForPort(proc, port, 60000);
      return [proc, port];
    } catch (error) {
      await proc.stop();
      // Another process may have taken the free port in between: try another one.
      if (attempt === 3 || !/EADDRINUSE/.test(proc.output)) throw error;
    }
  }
}

function spawnActionhero(port) {
  const dir = process.env.ACTIONHERO_DIR;
  const env = { ...process.env };
  for (const name of ["NODE_TEST_CONTEXT", "REDIS_URL", "REDIS_PASSWORD", "JEST_WORKER_ID", "PORT"]) delete env[name];
  Object.assign(env, {
    REDIS_HOST: "127.0.0.1",
    REDIS_PORT: String(redisPort),
    REDIS_DB: "0",
    ENABLE_TCP_SERVER: "1",
    SOCKET_PORT: String(port),
    SERVER_TOKEN: TOKEN,
    ACTIONHERO_TITLE: "interop-actionhero",
    NODE_ENV: "production",
  });
  const bin = path.join(dir, "node_modules", "actionhero", "bin", "actionhero");
  return new Proc("actionhero", process.execPath, [bin, "start"], { cwd: dir, env });
}

async function startActionhost() {
  const proc = new Proc("actionhost", process.env.ACTIONHOST_BINARY, [
    "--config", process.env.ACTIONHOST_CONFIG,
    "--set", "socket.port=0",
    "--set", "socket.bind=\"127.0.0.1\"",
    "--set", "server.supervise=false",
    "--set", `plugins.dir="${process.env.ACTIONHOST_PLUGIN_DIR}"`,
    "--set", "plugins.watch=false",
    "--set", `cluster.redis="redis://127.0.0.1:${redisPort}"`,
    "--set", `cluster.token="${TOKEN}"`,
    "--set", `cluster.channel="${CHANNEL}"`,
  ]);
  const [, port] = await proc.waitForOutput(/listening on [^ ]*:(\d+)/, "\"listening on\" line");
  await proc.waitForOutput(/cluster: connected to redis/, "\"cluster: connected to redis\" line");
  return [proc, Number(port)];
}

function report() {
  const parts = [];
  for (const proc of processes) parts.push(`==== ${proc.name} (exit ${proc.exitCode ?? "-"})\n${proc.output}`);
  for (const client of clients) parts.push(`==== client ${client.name}\n${client.transcript.join("\n")}`);
  return parts.join("\n");
}

// A check that, when it fails, prints what every process and client said (the Redis channel
// included), so that an incompatibility can be told from a fault of the test.
function check(name, body) {
  it(name, async () => {
    try {
      await body();
    } catch (error) {
      console.error(`---- "${name}" failed; what happened:\n${report()}`);
      throw error;
    }
  });
}

async function connect(name, port) {
  const client = await LineClient.connect(name, port);
  clients.push(client);
  return client;
}

async function idOf(client) {
  const details = await client.request("detailsView");
  assert.equal(details.status, "OK", JSON.stringify(details));
  return details.data.id;
}

// A chat line must be exactly what actionhero 20 delivers: {message, room, from, context, sentAt}.
function assertChat(line, message, from) {
  assert.deepEqual(Object.keys(line), ["message", "room", "from", "context", "sentAt"], JSON.stringify(line));
  assert.equal(line.message, message);
  assert.equal(line.room, "defaultRoom");
  assert.equal(line.from, from);
  assert.equal(line.context, "user");
  assert.ok(Number.isInteger(line.sentAt), JSON.stringify(line));
}

// ---- the checks -----------------------------------------------------------------------------

describe("actionhero 20.0.0 and actionhost in one cluster", () => {
  let onActionhero; // LineClient
  let onActionhost; // LineClient
  let actionheroClientId;
  let actionhostClientId;

  before(async () => {
    try {
      [redis, redisPort] = await startRedis();
      channel = new Proc("redis channel", "redis-cli", ["-p", String(redisPort), "SUBSCRIBE", CHANNEL]);
      await channel.waitForOutput(/subscribe\s+actionhero\s+1/, "subscription");
      [actionhero, actionheroPort] = await startActionhero();
      // actionhost creates defaultRoom and anotherRoom in Redis when it connects.
      [actionhost, actionhostPort] = await startActionhost();
    } catch (error) {
      console.error(`---- the cluster did not start; what happened:\n${report()}`);
      throw error;
    }
  });

  after(async () => {
    for (const client of clients) client.close();
    // The servers first (they clean up in Redis as they stop), Redis last.
    const codes = {};
    for (const proc of [actionhost, actionhero, channel, redis]) if (proc) codes[proc.name] = await proc.stop();
    console.log(`exits: ${JSON.stringify(codes)}`);
  });

  check("a client of each server hears the other's say", async () => {
    onActionhero = await connect("actionhero client", actionheroPort);
    onActionhost = await connect("actionhost client", actionhostPort);
    actionheroClientId = await idOf(onActionhero);
    actionhostClientId = await idOf(onActionhost);
    assert.equal(onActionhost.welcome.room, "defaultRoom", JSON.stringify(onActionhost.welcome));
    // actionhero 20's production config has no starting rooms and joins its socket clients to
    // none: the room exists because actionhost created it in Redis.
    const joined = await onActionhero.request("roomAdd defaultRoom");
    assert.equal(joined.status, "OK", JSON.stringify(joined));
    assert.equal(joined.data, true);

    const said = await onActionhero.request("say defaultRoom hello from actionhero");
    assert.equal(said.status, "OK", JSON.stringify(said));
    assert.equal(said.error, undefined);
    const heardOnActionhero = await onActionhero.next("user");
    const heardOnActionhost = await onActionhost.next("user");
    assertChat(heardOnActionhero, "hello from actionhero", actionheroClientId);
    assertChat(heardOnActionhost, "hello from actionhero", actionheroClientId);
    assert.equal(heardOnActionhost.sentAt, heardOnActionhero.sentAt);

    const answered = await onActionhost.request("say defaultRoom hello from actionhost");
    assert.equal(answered.status, "OK", JSON.stringify(answered));
    const backOnActionhost = await onActionhost.next("user");
    const backOnActionhero = await onActionhero.next("user");
    assertChat(backOnActionhost, "hello from actionhost", actionhostClientId);
    assertChat(backOnActionhero, "hello from actionhost", actionhostClientId);
    assert.equal(backOnActionhero.sentAt, backOnActionhost.sentAt);
  });

  check("roomView defaultRoom on each server lists both clients", async () => {
    for (const client of [onActionhero, onActionhost]) {
      const view = await client.request("roomView defaultRoom");
      assert.equal(view.status, "OK", `${client.name}: ${JSON.stringify(view)}`);
      assert.equal(view.data.room, "defaultRoom");
      assert.equal(view.data.membersCount, 2, `${client.name}: ${JSON.stringify(view)}`);
      assert.deepEqual(Object.keys(view.data.members).sort(), [actionheroClientId, actionhostClientId].sort());
      for (const id of [actionheroClientId, actionhostClientId]) {
        assert.deepEqual(Object.keys(view.data.members[id]), ["id", "joinedAt"], JSON.stringify(view));
        assert.equal(view.data.members[id].id, id);
        assert.ok(Number.isInteger(view.data.members[id].joinedAt), JSON.stringify(view));
      }
    }
  });

  check("a cache key saved through one server is loaded through the other", async () => {
    // actionhost saves, actionhero loads.
    let start = Date.now();
    const saved = await onActionhost.action("cacheOps", { op: "save", key: "fromActionhost", value: "v by actionhost", expireMs: 60000 });
    let end = Date.now();
    assert.equal(saved.saved, true, JSON.stringify(saved));
    const loaded = await onActionhero.action("interopCache", { op: "load", key: "fromActionhost" });
    assert.equal(loaded.error, undefined, JSON.stringify(loaded));
    assert.equal(loaded.loaded.key, "fromActionhost");
    assert.equal(loaded.loaded.value, "v by actionhost");
    assert.ok(Number.isInteger(loaded.loaded.expireTimestamp), JSON.stringify(loaded));
    assert.ok(loaded.loaded.expireTimestamp >= start + 60000 && loaded.loaded.expireTimestamp <= end + 60000, JSON.stringify(loaded));
    assert.equal(loaded.loaded.expireTimestamp - loaded.loaded.createdAt, 60000, JSON.stringify(loaded));
    // actionhero's load rewrote the entry (readAt); actionhost still reads it, expiry unchanged.
    const reread = await onActionhost.action("cacheOps", { op: "load", key: "fromActionhost" });
    assert.equal(reread.error, undefined, JSON.stringify(reread));
    assert.equal(reread.loaded.value, "v by actionhost");
    assert.equal(reread.loaded.expireTimestamp, loaded.loaded.expireTimestamp);

    // actionhero saves, actionhost loads.
    start = Date.now();
    const stored = await onActionhero.action("interopCache", { op: "save", key: "fromActionhero", value: "v by actionhero", expireMs: 60000 });
    end = Date.now();
    assert.equal(stored.error, undefined, JSON.stringify(stored));
    assert.equal(stored.saved, true, JSON.stringify(stored));
    const fetched = await onActionhost.action("cacheOps", { op: "load", key: "fromActionhero" });
    assert.equal(fetched.error, undefined, JSON.stringify(fetched));
    assert.equal(fetched.loaded.key, "fromActionhero");
    assert.equal(fetched.loaded.value, "v by actionhero");
    assert.ok(Number.isInteger(fetched.loaded.expireTimestamp), JSON.stringify(fetched));
    assert.ok(fetched.loaded.expireTimestamp >= start + 60000 && fetched.loaded.expireTimestamp <= end + 60000, JSON.stringify(fetched));
    assert.ok(fetched.loaded.createdAt >= start && fetched.loaded.createdAt <= end, JSON.stringify(fetched));
  });

  check("actionhero's api.chatRoom.addMember reaches the actionhost connection", async () => {
    // The connection is not on the actionhero server: it asks the cluster (a `do` RPC) and waits
    // for the doResponse (actionhero's rpcTimeout is 5 s).
    const added = await onActionhero.action("interopAddMember", { connectionId: actionhostClientId, room: "anotherRoom" });
    assert.equal(added.error, undefined, JSON.stringify(added));
    assert.equal(added.added, true, JSON.stringify(added));
    const details = await onActionhost.request("detailsView");
    assert.deepEqual(details.data.rooms, ["defaultRoom", "anotherRoom"], JSON.stringify(details));
  });

  check("both servers are still running", async () => {
    assert.ok(actionhero.running, `actionhero exited:\n${actionhero.output}`);
    assert.ok(actionhost.running, `actionhost exited:\n${actionhost.output}`);
    const view = await onActionhero.request("roomView defaultRoom");
    assert.equal(view.data.membersCount, 2, JSON.stringify(view));
  });
});
