// Truce's monitoring page: sends an observation with the page's CSRF token, and fetches the status
// fragment again on every event of the negotiation's stream (the server renders it, escaping every
// text; it is parsed here as inert HTML, never run), so that every open page follows without
// reloading.
"use strict";
(function () {
  const who = document.getElementById("whoami");
  if (!who) return;
  const id = who.dataset.negotiation;
  const csrf = document.querySelector('meta[name="csrf"]').content;
  const api = "/api/v1/negotiations/" + encodeURIComponent(id);
  const byId = (x) => document.getElementById(x);

  async function refresh() {
    const box = byId("monitoring-status");
    if (!box) return;
    const r = await fetch("/n/" + encodeURIComponent(id) + "/monitoring/status" + location.search, { credentials: "same-origin" });
    if (!r.ok) return;
    const doc = new DOMParser().parseFromString(await r.text(), "text/html");
    const fresh = doc.getElementById("monitoring-status");
    if (fresh) box.replaceWith(document.importNode(fresh, true));
  }

  const form = byId("observe");
  if (form) {
    const commitment = byId("o-commitment");
    commitment.addEventListener("change", () => {
      const o = commitment.selectedOptions[0];
      if (o) byId("o-unit").value = o.dataset.unit;
    });
    const source = byId("o-source");
    const fresh = () => { byId("o-new-source").hidden = source.value !== ""; };
    source.addEventListener("change", fresh); fresh();
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      byId("o-error").textContent = ""; byId("o-result").textContent = "";
      const text = (x) => { const v = byId(x).value.trim(); return v === "" ? undefined : v; };
      const src = source.value !== ""
        ? { id: source.value }
        : { id: text("o-source-id") || "", title: text("o-source-title"), kind: byId("o-source-kind").value, publisher: text("o-source-publisher") };
      const body = {
        date: byId("o-date").value.trim(), commitment: commitment.value,
        quantity: byId("o-quantity").value.trim(), unit: byId("o-unit").value.trim(),
        actor: text("o-actor"), place: text("o-place"), source: src, quote: text("o-quote"), note: text("o-note"),
      };
      try {
        const r = await fetch(api + "/monitoring/events", {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
          body: JSON.stringify(body),
        });
        const data = await r.json().catch(() => null);
        if (!r.ok) throw new Error((data && data.error) || ("HTTP " + r.status));
        let said = "Recorded (observation " + (data.observation + 1) + ").";
        if (data.warnings && data.warnings.length) said += " " + data.warnings.join(" ");
        byId("o-result").textContent = said;
        if (data.source_added) {
          const o = document.createElement("option");
          o.value = data.source_added; o.textContent = data.source_added;
          source.insertBefore(o, source.lastElementChild); source.value = data.source_added; fresh();
        }
        byId("o-quantity").value = ""; byId("o-quote").value = ""; byId("o-note").value = "";
        await refresh();
      } catch (e) { byId("o-error").textContent = e.message; }
    });
  }

  const stream = new EventSource(api + "/events");
  let pending = null;
  const later = () => { if (!pending) pending = setTimeout(() => { pending = null; refresh(); }, 50); };
  stream.addEventListener("event", later);
  stream.addEventListener("tick", later);
})();
