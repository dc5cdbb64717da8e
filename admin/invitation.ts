import express, { type Router } from 'express';
import { clientMeta } from '../server/http/request-context.js';
import { DomainError } from '../server/shared/errors.js';
import { services } from './services.js';

/**
 * /admin/invitation?token=…: where an invited colleague sets their own
 * password (SPEC rule 9; the link in the invitation mail). Plain HTML, no
 * session needed; the invitation service checks and uses the token.
 */
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>QHealth · Set your password</title>
<style>body{font-family:system-ui,sans-serif;background:#f0f7f6;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;padding:2rem;border-top:6px solid #0f766e;max-width:26rem;width:100%;box-shadow:0 2px 12px #0002}
h1{color:#0f766e;font-size:1.4rem}label{display:block;margin:1rem 0 .3rem}input{width:100%;padding:.6rem;box-sizing:border-box}
button{margin-top:1.2rem;background:#0f766e;color:#fff;border:0;padding:.7rem 1.2rem;cursor:pointer}.error{color:#b42318}</style></head>
<body><main><h1>QHealth staff panel</h1>${body}</main></body></html>`;
}

function form(token: string, error?: string): string {
  return page(`<p>Choose your password (at least 10 characters, not a common one).</p>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post"><input type="hidden" name="token" value="${escape(token)}">
<label for="password">New password</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="10">
<label for="repeat">Repeat it</label><input id="repeat" name="repeat" type="password" autocomplete="new-password" required>
<button type="submit">Set password</button></form>`);
}

export function invitationRouter(loginPath: string): Router {
  const router = express.Router();
  router.get('/invitation', (req, res) => {
    res.send(form(typeof req.query.token === 'string' ? req.query.token : ''));
  });
  router.post('/invitation', express.urlencoded({ extended: false, limit: '10kb' }), async (req, res, next) => {
    const token = typeof req.body?.token === 'string' ? req.body.token : '';
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    if (password !== req.body?.repeat) return res.status(400).send(form(token, 'The two passwords differ.'));
    try {
      await services.acceptInvitation(token, password, clientMeta(req));
      res.send(page(`<p>Your password is set.</p><p><a href="${escape(loginPath)}">Sign in to the staff panel</a></p>`));
    } catch (err) {
      if (!(err instanceof DomainError)) return next(err);
      const detail = err.fields ? Object.values(err.fields).join(' ') : '';
      res.status(err.status).send(form(token, `${err.message} ${detail}`.trim()));
    }
  });
  return router;
}
