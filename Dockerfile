# syntax=docker/dockerfile:1
# One image for web and worker (the command differs), plus an nginx image that
# carries the portal's static files.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN NODE_ENV=production npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS app
WORKDIR /app
ENV NODE_ENV=production ADMIN_JS_SKIP_BUNDLE=true PORT=3000
COPY --from=build /app /app
# The web bundle's V8 code cache is written beside it on the first start.
RUN chown node:node /app/dist/server
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "dist/server/main.js"]

FROM nginx:1.27-alpine AS nginx
COPY nginx/qhealth.conf /etc/nginx/conf.d/default.conf
COPY --from=build /app/dist/portal /srv/portal
