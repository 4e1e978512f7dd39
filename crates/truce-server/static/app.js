// Truce's negotiation page: reads the role's view from the API, renders it with DOM methods only
// (never innerHTML: every text from the record is shown as text), follows the event stream, and
// sends moves and preferences with the page's CSRF token.
"use strict";
(function () {
  const who = document.getElementById("whoami");
  if (!who) return;
  const id = who.dataset.negotiation;
  const role = who.dataset.role;
  const csrf = document.querySelector('meta[name="csrf"]').content;
  const api = "/api/v1/negotiations/" + encodeURIComponent(id);
  let view = null;
  let prefs = null;

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); return e; }
  async function call(method, path, body) {
    const init = { method, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" };
    if (body !== undefined) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    const r = await fetch(api + path, init);
    const data = await r.json().catch(() => null);
    if (!r.ok) throw new Error((data && data.error) || ("HTTP " + r.status));
    return data;
  }
  function fmt(x) { return typeof x === "number" ? x.toFixed(3) : String(x); }

  // A text, phase by phase, with each phase's days and conditions.
  function terms(t) {
    const box = el("div");
    const phases = view.phases.length ? view.phases : [{ name: "", issues: view.issues.map(i => i.name) }];
    const shown = new Set();
    for (const p of phases) {
      const div = el("div", null, "phase");
      if (p.name) {
        let h = p.name.replace(/_/g, " ");
        if (p.duration_days) h += " (" + p.duration_days + " days)";
        div.appendChild(el("h4", h));
        if (p.next_condition) div.appendChild(el("p", "Next phase if: " + p.next_condition));
      }
      const dl = el("dl", null, "terms");
      for (const name of p.issues) { shown.add(name); dl.appendChild(el("dt", name)); dl.appendChild(el("dd", t[name])); }
      div.appendChild(dl); box.appendChild(div);
    }
    const rest = view.issues.filter(i => !shown.has(i.name));
    if (rest.length) {
      const dl = el("dl", null, "terms");
      for (const i of rest) { dl.appendChild(el("dt", i.name)); dl.appendChild(el("dd", t[i.name])); }
      box.appendChild(dl);
    }
    return box;
  }
  function judgement(ev) {
    if (!ev) return null;
    if (ev.parties) {
      const ul = el("ul", null, "verdicts");
      for (const p of ev.parties) {
        let s = p.party + ": " + (p.acceptable === null ? "no preferences" : p.acceptable ? "acceptable" : "not acceptable");
        if (p.breaks && p.breaks.length) s += " (breaks " + p.breaks.join(", ") + ")";
        if (p.utility !== undefined) s += ", utility " + fmt(p.utility) + " (reservation " + fmt(p.reservation) + ")";
        ul.appendChild(el("li", s, p.acceptable ? "ok" : "bad"));
      }
      return ul;
    }
    let s = "Your utility: " + fmt(ev.utility) + " (reservation " + fmt(ev.reservation) + "): " + (ev.acceptable ? "acceptable to you" : "not acceptable to you");
    if (ev.breaks && ev.breaks.length) s += "; breaks your red line " + ev.breaks.join(", ");
    return el("p", s, ev.acceptable ? "ok" : "bad");
  }

  function describe(e) {
    const ev = e.event; const kind = ev.event || ev.note;
    const who = ev.party_id || ev.party || (e.author ? e.author : "");
    switch (ev.event) {
      case "start": return "The negotiation opened (" + ev.protocol + ").";
      case "text": return "Round " + (ev.round + 1) + ": the mediator tabled a text: " + JSON.stringify(ev.terms);
      case "offer": return "Round " + (ev.round + 1) + ": " + who + " offered " + JSON.stringify(ev.terms);
      case "position": return "Round " + (ev.round + 1) + ": " + who + " stated a position " + JSON.stringify(ev.terms);
      case "accept": return who + " accepted.";
      case "reject": return who + " rejected.";
      case "end": return who + " walked away.";
      case "vote": return who + " voted " + (ev.accept ? "for" : "against") + " the candidate.";
      case "decision": return "The mediator " + (ev.adopt ? "adopted" : "set aside") + " the candidate.";
      case "result": return "The negotiation ended: " + ev.status + (ev.agreement ? " on " + JSON.stringify(ev.terms) : "") + ".";
    }
    if (ev.note) return who + " (" + kind + "): " + (ev.comment || "") + (ev.amendment ? " amendment " + JSON.stringify(ev.amendment) : "");
    return kind;
  }

  function composer(initial) {
    const box = clear(document.getElementById("terms"));
    view.issues.forEach((issue) => {
      const row = el("div", null, "issue");
      const sid = "issue-" + issue.name;
      const label = el("label", issue.name); label.htmlFor = sid;
      const sel = el("select"); sel.id = sid; sel.name = issue.name;
      for (const v of issue.values) { const o = el("option", v); o.value = v; sel.appendChild(o); }
      if (initial && initial[issue.name] !== undefined) sel.value = String(initial[issue.name]);
      sel.addEventListener("change", preview);
      row.appendChild(label); row.appendChild(sel); box.appendChild(row);
    });
  }
  function package_() {
    const out = {};
    for (const issue of view.issues) {
      const v = document.getElementById("issue-" + issue.name).value;
      out[issue.name] = /^-?[0-9]+(\.[0-9]+)?$/.test(v) ? Number(v) : v;
    }
    return out;
  }
  async function preview() {
    const p = document.getElementById("preview");
    if (role === "observer") return;
    try {
      const ev = await call("POST", "/evaluate", { outcome: package_() });
      clear(p); const j = judgement(ev); if (j) p.appendChild(j);
    } catch (e) { p.textContent = e.message; }
  }
  function button(label, handler, secondary) {
    const b = el("button", label, secondary ? "secondary" : ""); b.type = "button";
    b.addEventListener("click", async () => {
      const err = document.getElementById("error"); err.textContent = "";
      try { await handler(); document.getElementById("comment").value = ""; await refresh(); }
      catch (e) { err.textContent = e.message; }
    });
    return b;
  }
  function act(type, withTerms) {
    const body = { type };
    const c = document.getElementById("comment").value.trim();
    if (c) body.comment = c;
    if (withTerms) body.outcome = package_();
    return call("POST", "/actions", body);
  }

  function render() {
    document.getElementById("title").textContent = view.title;
    const status = view.status === "open"
      ? (view.turn ? "Round " + (view.turn.round + 1) + " of " + view.rounds + ": " + (view.turn.yours ? "your move" : view.turn.actor + "'s move (" + view.turn.asked + ")") : "Open")
      : "Ended: " + view.status.replace(/_/g, " ");
    document.getElementById("status").textContent = status;
    const agreement = document.getElementById("agreement");
    if (view.agreement) {
      clear(agreement); agreement.hidden = false;
      agreement.appendChild(el("h2", "Agreement reached"));
      agreement.appendChild(terms(view.agreement.terms));
      const j = judgement(view.agreement.evaluation); if (j) agreement.appendChild(j);
    } else agreement.hidden = true;
    const table = clear(document.getElementById("table"));
    const t = view.table || {};
    if (t.text) { table.appendChild(el("h3", "Current text")); table.appendChild(terms(t.text.terms)); const j = judgement(t.text.evaluation); if (j) table.appendChild(j); }
    if (t.candidate) { table.appendChild(el("h3", "Candidate text")); table.appendChild(terms(t.candidate.terms)); const j = judgement(t.candidate.evaluation); if (j) table.appendChild(j); }
    if (t.votes) table.appendChild(el("p", "Votes: " + JSON.stringify(t.votes)));
    if (t.positions) table.appendChild(el("p", "Positions: " + JSON.stringify(t.positions)));
    if (!table.firstChild) table.appendChild(el("p", "Nothing yet."));
    const hist = clear(document.getElementById("history"));
    for (const e of view.events) hist.appendChild(el("li", describe(e)));

    const section = document.getElementById("act");
    const yours = view.turn && view.turn.yours;
    section.hidden = !yours;
    if (!yours) return;
    const asked = view.turn.asked;
    const buttons = clear(document.getElementById("buttons"));
    const current = (t.candidate || t.text || {}).terms;
    const fieldset = document.getElementById("terms").parentElement;
    let needsTerms = false;
    if (asked === "text") {
      document.getElementById("asked").textContent = "Table a text: choose its terms, then table it.";
      buttons.appendChild(button("Table this text", () => act("text", true)));
      needsTerms = true;
    } else if (asked === "offer" || asked === "position") {
      document.getElementById("asked").textContent = asked === "offer" ? "Make an offer." : "State your position to the mediator, in private.";
      buttons.appendChild(button(asked === "offer" ? "Send this offer" : "Send this position", () => act("offer", true)));
      needsTerms = true;
    } else if (asked === "answer" || asked === "vote") {
      document.getElementById("asked").textContent = asked === "vote" ? "Vote: should the candidate replace the current text?" : "Answer the text on the table.";
      buttons.appendChild(button("Accept", () => act("accept", false)));
      buttons.appendChild(button("Reject", () => act("reject", false), true));
      buttons.appendChild(button("Propose these amendments", () => act("amend", true), true));
      needsTerms = true;
    } else if (asked === "decision") {
      document.getElementById("asked").textContent = "Decide: adopt the candidate as the text?";
      buttons.appendChild(button("Adopt the candidate", () => act("accept", false)));
      buttons.appendChild(button("Keep the current text", () => act("reject", false), true));
    }
    fieldset.hidden = !needsTerms;
    if (needsTerms && !document.getElementById("terms").dataset.built) {
      composer(current); document.getElementById("terms").dataset.built = "1"; preview();
    }
  }

  async function bridging() {
    const box = document.getElementById("bridging");
    if (!box) return;
    try {
      const b = await call("GET", "/bridging");
      clear(box);
      if (b.zone === "closed") {
        box.appendChild(el("p", "No text is acceptable to every party now. Relaxing one of these would open a zone of agreement:"));
        const ul = el("ul");
        for (const set of b.relaxations) ul.appendChild(el("li", set.map(x => x.party + (x.red_line ? ": " + x.red_line : ": reservation value")).join(" and ")));
        box.appendChild(ul);
        return;
      }
      if (b.zone !== "open") { box.appendChild(el("p", "The zone is too large to decide exactly.")); return; }
      const ol = el("ol");
      for (const p of b.by_nash) {
        const li = el("li", Object.entries(p.terms).map(([k, v]) => k + " = " + v).join(", ") + (p.utilities ? " (utilities " + p.utilities.map(fmt).join(", ") + ")" : ""));
        const use = el("button", "Use these terms", "secondary"); use.type = "button";
        use.addEventListener("click", () => {
          for (const [k, v] of Object.entries(p.terms)) { const s = document.getElementById("issue-" + k); if (s) s.value = String(v); }
          preview();
        });
        li.appendChild(document.createTextNode(" ")); li.appendChild(use); ol.appendChild(li);
      }
      box.appendChild(el("p", "Acceptable to every party, best first by Nash product:")); box.appendChild(ol);
    } catch (e) { box.textContent = e.message; }
  }

  // The analysis views: HTML fragments of the report crate's components (the same as `truce analyze
  // --html`), written by the server with every text escaped; parsed, never run (a parsed document
  // runs no script, and the page's Content-Security-Policy allows only this file).
  async function views() {
    if (role === "observer" || !document.getElementById("view-history")) return;
    try {
      const v = await call("GET", "/views");
      for (const key of ["frontier", "verdicts", "history"]) {
        const box = document.getElementById("view-" + key);
        if (!v[key]) { if (key !== "history") clear(box); continue; }
        const doc = new DOMParser().parseFromString(v[key], "text/html");
        box.replaceChildren(...doc.body.childNodes);
      }
    } catch (e) { document.getElementById("view-history").textContent = e.message; }
  }

  async function refresh() {
    try { view = await call("GET", ""); render(); }
    catch (e) { document.getElementById("status").textContent = e.message; }
    if (role === "mediator") bridging();
    views();
  }

  async function loadPrefs() {
    const form = document.getElementById("prefs");
    if (!form) return;
    prefs = await call("GET", "/preferences");
    const box = clear(document.getElementById("weights"));
    if (!prefs) { box.appendChild(el("p", "No preferences yet.")); return; }
    document.getElementById("reservation").value = prefs.reservation;
    const additive = prefs.utility && prefs.utility.type === "additive" ? prefs.utility : null;
    if (additive) {
      additive.issues.forEach((iu, k) => {
        const name = view.issues[k] ? view.issues[k].name : "issue " + k;
        const fid = "weight-" + k;
        const label = el("label", "Weight of " + name); label.htmlFor = fid;
        const input = el("input"); input.type = "number"; input.min = "0"; input.step = "0.01"; input.id = fid; input.value = iu.weight;
        const row = el("div", null, "issue"); row.appendChild(label); row.appendChild(input); box.appendChild(row);
      });
    }
    form.onsubmit = async (ev) => {
      ev.preventDefault();
      const s = document.getElementById("prefs-status");
      if (additive) additive.issues.forEach((iu, k) => { iu.weight = Number(document.getElementById("weight-" + k).value); });
      prefs.reservation = Number(document.getElementById("reservation").value);
      try { prefs = await call("PUT", "/preferences", prefs); s.textContent = "Saved."; preview(); await refresh(); }
      catch (e) { s.textContent = e.message; }
    };
  }

  refresh().then(loadPrefs).catch(() => {});
  const source = new EventSource(api + "/events");
  // Coalesce a burst of events (an agent's moves) into one refresh.
  let pending = null;
  const later = () => { if (!pending) pending = setTimeout(() => { pending = null; refresh(); }, 50); };
  source.addEventListener("event", later);
  source.addEventListener("tick", later);
})();
