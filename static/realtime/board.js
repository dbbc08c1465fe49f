/*! board.js: the employer board page. Needs live.js and pages.js. Protocol: docs/matching.md ("The board page").
 *
 * A `board.changed` push is enough to render: it carries the current rows of every opening that
 * moved, and this script redraws those openings from them, in the page's language (the labels come
 * from the page, #board-labels). Every other message on the stream (requests, meetings, the
 * timetable) is a notice: the page fetches its HTML fragment again. So does a reconnect or a gap in
 * `seq` (live.js), and a push naming an opening the page does not show.
 */
(function (root) {
  "use strict";
  var doc = root.document;
  var target = doc.getElementById("live");
  if (!target || !doc.getElementById("board-labels") || !root.Live || !root.LivePages) return;
  var P = root.LivePages, el = P.el, L = P.json("board-labels");
  // The skill chips already say these.
  var SKIP = { required_skills: true, required: true, nice_skills: true, nice: true };

  function hidden(name, value) {
    return el("input", { type: "hidden", name: name, value: String(value) });
  }

  function button(action, label, primary) {
    return el("button", { class: primary ? "button primary" : "button", name: "action", value: action, text: label });
  }

  function chips(explanation) {
    var out = [];
    (explanation.matched || []).forEach(function (m) {
      out.push(el("li", { class: "chip ok", text: m.skill + (m.nice ? " +" : "") }));
    });
    (explanation.partial || []).forEach(function (m) {
      var how = m.how === "related" ? L.related : L.lower_level;
      out.push(el("li", { class: "chip part", text: m.skill + " (" + how + ")" }));
    });
    (explanation.missing || []).forEach(function (m) {
      out.push(el("li", { class: "chip miss", text: L.missing.replace("%(s)s", m.skill) }));
    });
    return el("ul", { class: "chips", "aria-label": L.why }, out);
  }

  function factors(explanation) {
    var parts = [];
    var f = explanation.factors || {};
    Object.keys(f).forEach(function (code) {
      if (!SKIP[code] && f[code] > 0) parts.push((L.factors[code] || code) + " +" + Math.round(f[code]));
    });
    return parts.length ? el("p", { class: "meta", text: parts.join(" · ") }) : null;
  }

  function card(c, openingId) {
    var tags = [];
    if (c.shortlisted) tags.push(" ", el("span", { class: "tag live", text: L.shortlisted }));
    if (c.meeting_with_us) tags.push(" ", el("span", { class: "tag", text: L.meeting_booked }));
    else if (!c.meetings) tags.push(" ", el("span", { class: "tag", text: L.no_meeting }));
    var lead = el("a", { href: L.lead_url.replace(/\/0\/$/, "/" + c.candidate_id + "/") }, [
      el("bdi", { text: c.name || L.candidate }),
    ]);
    var head = el(
      "p",
      {},
      [el("span", { class: "score", title: L.score_title, text: String(Math.round(c.score)) }), " · ", lead].concat(tags)
    );
    var form = el("form", { class: "actions", method: "post", action: L.action_url }, [
      hidden("csrfmiddlewaretoken", L.csrf),
      hidden("candidate_id", c.candidate_id),
      hidden("opening_id", openingId),
      c.meeting_with_us ? null : button("request", L.request, true),
      c.shortlisted ? button("clear", L.unshortlist) : button("shortlist", L.shortlist),
      button("not_now", L.not_now),
    ]);
    return el("li", { class: "card cand" }, [head, chips(c.explanation || {}), factors(c.explanation || {}), form]);
  }

  function present(n) {
    var form = L.present[new Intl.PluralRules(doc.documentElement.lang || "en").select(n)] || L.present.other;
    return form.replace("%(n)s", String(n));
  }

  /** Draw the pushed openings; false when the page cannot (it then fetches the fragment). */
  function render(data) {
    var sections = (data.openings || []).map(function (op) {
      return target.querySelector('section[data-opening="' + op.opening_id + '"]');
    });
    if (sections.indexOf(null) !== -1) return false;
    (data.openings || []).forEach(function (op, i) {
      var section = sections[i];
      var list = op.candidates.length
        ? el(
            "ol",
            { class: "cards" },
            op.candidates.map(function (c) {
              return card(c, op.opening_id);
            })
          )
        : el("p", { class: "empty", text: L.empty });
      var old = section.querySelector("ol.cards, p.empty");
      if (old) section.replaceChild(list, old);
      else section.appendChild(list);
    });
    var count = target.querySelector("[data-present]");
    if (count && typeof data.present === "number") count.textContent = present(data.present);
    return true;
  }

  var live = root.Live.connect({
    url: target.getAttribute("data-ws"),
    snapshotUrl: target.getAttribute("data-snapshot"),
    // A board must follow the door within a second; a fragment is cheap, so refetch sooner than the default.
    resyncMin: 250,
    onSnapshot: function (snapshot) {
      if (snapshot && typeof snapshot.html === "string") target.innerHTML = snapshot.html;
    },
    onMessage: function (msg) {
      if (msg.type !== "board.changed" || !render(msg.data || {})) live.resync("changed");
    },
  });
})(window);
