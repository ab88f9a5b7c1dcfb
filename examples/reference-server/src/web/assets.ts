/**
 * The console's one stylesheet, served from this server (no CDN): readable on phones, visible keyboard focus,
 * enough contrast, and tables that scroll instead of breaking the layout.
 */
export const stylesheet = `
:root{--ink:#1b1f24;--muted:#57606a;--line:#d0d7de;--brand:#1f4e79;--brand-ink:#fff;--bad:#a40e26;--good:#116329;--warn:#7d4e00;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
a{color:var(--brand)}
:focus-visible{outline:3px solid #0969da;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:9}
header.top{background:var(--brand);color:var(--brand-ink);display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:.6rem 1.2rem}
header.top a{color:var(--brand-ink);text-decoration:none;font-weight:600}
header.top nav ul{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;margin:0;padding:0}
header.top nav a[aria-current=page]{text-decoration:underline}
header.top .who{margin-left:auto;display:flex;gap:.8rem;align-items:center;font-size:.9rem}
header.top form{margin:0}
header.top button{background:transparent;color:var(--brand-ink);border:1px solid var(--brand-ink);padding:.2rem .7rem}
main{max-width:72rem;margin:0 auto;padding:1.2rem}
h1{font-size:1.6rem;margin:.4rem 0 1rem}h2{font-size:1.25rem;margin:1.6rem 0 .6rem}
.muted{color:var(--muted)}
table{border-collapse:collapse;width:100%;font-size:.95rem}
.table{overflow-x:auto;border:1px solid var(--line);border-radius:.4rem}
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--bg);font-weight:600}
tbody tr:last-child td{border-bottom:0}
button,.button{font:inherit;padding:.45rem 1rem;border-radius:.4rem;border:1px solid var(--brand);background:var(--brand);color:var(--brand-ink);cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:var(--brand)}
button.danger{background:var(--bad);border-color:var(--bad)}
form.stack{display:grid;gap:.8rem;max-width:32rem}
form.inline{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end}
label{display:grid;gap:.2rem;font-weight:600}
input,select,textarea{font:inherit;padding:.4rem .5rem;border:1px solid #8c959f;border-radius:.3rem;background:#fff}
fieldset{border:1px solid var(--line);border-radius:.4rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(13rem,1fr));gap:1rem;padding:0;list-style:none}
.cards li{border:1px solid var(--line);border-radius:.6rem;padding:1rem}
.cards .figure{font-size:1.6rem;font-weight:700;display:block}
.notice{border-left:4px solid var(--brand);background:var(--bg);padding:.6rem 1rem;margin:1rem 0}
.notice.bad{border-color:var(--bad)}.notice.good{border-color:var(--good)}.notice.warn{border-color:var(--warn)}
.status{font-weight:600}.status.applied,.status.granted,.status.succeeded{color:var(--good)}
.status.invalid,.status.failed,.status.declined,.status.revoked{color:var(--bad)}.status.held,.status.requested,.status.invited{color:var(--warn)}
code{background:var(--bg);padding:.1rem .3rem;border-radius:.2rem;word-break:break-all}
nav.pages{display:flex;gap:1rem;margin:.8rem 0}
@media (max-width:40rem){header.top .who{margin-left:0}main{padding:.8rem}}
`;
