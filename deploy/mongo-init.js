// mongo-init (docker-compose.yml): initiates the replica set rs0 once and
// makes the application's account from the URI secret, then exits.
// Idempotent: a restart finds the set initiated and the account made (and
// sets its password again, which is how a rotated password takes effect).
// Run by mongosh against mongo1; the secrets are files under /run/secrets.
const fs = require("fs");
const secret = (name) => fs.readFileSync("/run/secrets/" + name, "utf8").replace(/\r?\n$/, "");

// Before the set is initiated only mongo1's root account exists (made by
// the image's entrypoint from MONGO_INITDB_ROOT_PASSWORD_FILE).
db.getSiblingDB("admin").auth("root", secret("mongo_root_password"));

try {
  rs.status();
  print("rs0 already initiated");
} catch (e) {
  if (e.codeName !== "NotYetInitialized") throw e;
  rs.initiate({
    _id: "rs0",
    members: [
      { _id: 0, host: "mongo1:27017", priority: 2 },
      { _id: 1, host: "mongo2:27017", priority: 1 },
      { _id: 2, host: "mongo3:27017", priority: 1 },
    ],
  });
  print("rs0 initiated");
}
let tries = 0;
while (!rs.status().members.some((m) => m.stateStr === "PRIMARY")) {
  if (++tries > 120) throw new Error("rs0 elected no primary in 60 s");
  sleep(500);
}
print("rs0 has a primary");

// The application's account, named in the URI zhengwu connects with
// (mongodb://USER:PASSWORD@mongo1,mongo2,mongo3/?replicaSet=rs0&authSource=zhengwu):
// one source for the password, so the two cannot disagree.
const uri = secret("zhengwu_mongodb_uri");
const m = /^mongodb(?:\+srv)?:\/\/([^:@/]+):([^@/]+)@[^/]*\/([^?]*)/.exec(uri);
if (!m) throw new Error("zhengwu_mongodb_uri names no user and password");
const user = decodeURIComponent(m[1]);
const pwd = decodeURIComponent(m[2]);
const authSource = (/[?&]authSource=([^&]+)/.exec(uri) || [, m[3] || "admin"])[1];
const dbName = "zhengwu"; // --mongodb-database (its default)

// Writes go to the primary, wherever it is now.
const set = new Mongo("mongodb://mongo1:27017,mongo2:27017,mongo3:27017/?replicaSet=rs0");
set.getDB("admin").auth("root", secret("mongo_root_password"));
const accounts = set.getDB(authSource);
// readWrite and dbAdmin on the application's database alone: the
// collections, their indexes, change streams; nothing on other databases.
const roles = [{ role: "readWrite", db: dbName }, { role: "dbAdmin", db: dbName }];
if (accounts.getUser(user)) {
  accounts.updateUser(user, { pwd, roles });
  print(`account ${user} updated`);
} else {
  accounts.createUser({ user, pwd, roles });
  print(`account ${user} created`);
}
