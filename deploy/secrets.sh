#!/bin/sh
# Writes the secrets docker-compose.yml mounts, into deploy/secrets/ (not
# committed), each readable by its owner alone. Run once before the first
# `docker compose up`; a file that exists is kept (re-running never
# changes a key the data depends on).
#
#   deploy/secrets.sh [SITE]     # SITE: the portal's host name, default localhost
#
# The TLS certificate it makes is signed by a throw-away CA (ca.crt) for a
# trial; on the government network replace tls.crt/tls.key by the ones the
# unit's CA issues (docs/operations.md, "部署（Docker Compose）").
set -eu
site=${1:-localhost}
dir=$(dirname "$0")/secrets
mkdir -p "$dir"
chmod 700 "$dir"
umask 077

# put NAME COMMAND...: the file from the command's output, unless it exists.
put() {
	name=$1
	shift
	if [ -e "$dir/$name" ]; then
		echo "keep  $dir/$name"
		return
	fi
	"$@" >"$dir/$name.tmp"
	mv "$dir/$name.tmp" "$dir/$name"
	chmod 400 "$dir/$name"
	echo "wrote $dir/$name"
}
rand() { openssl rand -hex "$1"; }

put master.key rand 32                     # zhengwu --key-file: 32 bytes, hex
put mongo-root-password rand 24
put mongo-keyfile openssl rand -base64 756 # the replica set members' shared key
put demo-password sh -c 'printf "Zw-%s-1a\n" "$(openssl rand -hex 8)"'
# The application's account; mongo-init makes it from this URI.
put mongodb-uri sh -c "printf 'mongodb://zhengwu:%s@mongo1:27017,mongo2:27017,mongo3:27017/?replicaSet=rs0&authSource=admin\n' \"\$(openssl rand -hex 24)\""

if [ ! -e "$dir/tls.crt" ]; then
	openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -days 30 -subj "/CN=Zhengwu trial CA" \
		-keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
	openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -subj "/CN=$site" \
		-keyout "$dir/tls.key" -out "$dir/tls.csr" 2>/dev/null
	printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n' "$site" >"$dir/tls.ext"
	openssl x509 -req -in "$dir/tls.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
		-days 30 -extfile "$dir/tls.ext" -out "$dir/tls.crt" 2>/dev/null
	rm -f "$dir/tls.csr" "$dir/tls.ext" "$dir/ca.srl"
	chmod 400 "$dir/tls.key" "$dir/ca.key"
	echo "wrote $dir/tls.crt (for $site, signed by $dir/ca.crt: trust it in the browser for a trial)"
fi

# The containers read the secrets as their own users: zhengwu as 65532
# (distroless nonroot), Caddy as root; mongod's keyfile is copied into
# place by its entrypoint. A root operator hands zhengwu's over here.
if [ "$(id -u)" = 0 ]; then
	chown 65532:65532 "$dir/master.key" "$dir/mongodb-uri" "$dir/demo-password"
else
	echo "as root, or with sudo: chown 65532:65532 $dir/master.key $dir/mongodb-uri $dir/demo-password"
fi
