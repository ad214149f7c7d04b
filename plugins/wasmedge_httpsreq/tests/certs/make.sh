#!/bin/sh
# Writes the test PKI (committed; rerun only to replace it): a CA (ca.pem) and a server
# certificate it signed for "localhost" and 127.0.0.1 (server.pem, key server.key), both valid
# for 100 years, and a self-signed certificate for "localhost" that no CA vouches for
# (self.pem, key self.key). The CA's key is not kept.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 36500 \
  -subj "/CN=wedge httpsreq test CA" -keyout "$tmp/ca.key" -out ca.pem \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
  -keyout server.key -out "$tmp/server.csr"
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$tmp/ext"
openssl x509 -req -in "$tmp/server.csr" -CA ca.pem -CAkey "$tmp/ca.key" -set_serial 0x5745444745 \
  -days 36500 -extfile "$tmp/ext" -out server.pem
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 36500 \
  -subj "/CN=localhost" -keyout self.key -out self.pem -addext "subjectAltName=DNS:localhost"
openssl pkcs8 -topk8 -nocrypt -in server.key -out server.key.p8 && mv server.key.p8 server.key
openssl pkcs8 -topk8 -nocrypt -in self.key -out self.key.p8 && mv self.key.p8 self.key
rm -r "$tmp"
