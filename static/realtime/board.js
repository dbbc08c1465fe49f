/*! board.js: the employer board page. Needs live.js and pages.js. Protocol: docs/matching.md ("The board page").
 *
 * A `board.changed` push is enough to render: it carries the current rows of every opening that
 * moved, and this script redraws those openings from them, in the page's language (the labels come
 * from the page, #board-labels), pending requests and their expiry included. The employer's own
 * requests opening and closing come as such rows. Every other message on the stream (candidates'
 * requests, meetings, the timetable) is a notice: the page fetches its HTML fragment again. So
 * does a reconnect or a gap in `seq` (live.js), and a push naming an opening the page does not show.
 * A push with no openings and a `present` count (someone came in or left) redraws the count alone.
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

  /** The score's "+" parts on one line; tapping it explains each in words (a native disclosure). */
  function factors(explanation) {
    var parts = [], help = [];
    var f = explanation.factors || {};
    Object.keys(f).forEach(function (code) {
      if (!SKIP[code] && f[code] > 0) {
        parts.push((L.factors[code] || code) + " +" + Math.round(f[code]));
        help.push(el("li", { text: L.factor_help[code] || "" }));
      }
    });
    if (!parts.length) return null;
    help.push(el("li", { text: L.factor_help.skills }));
    return el("details", { class: "meta why" }, [
      el("summary", {}, [parts.join(" · ") + " ", el("span", { class: "why-hint", text: L.why_hint })]),
      el("ul", {}, help),
    ]);
  }

  function requestTag(request) {
    var label = request.sent_by === "employer" ? L.request_sent : L.request_received;
    return el("span", { class: "tag pending" }, [label + " ", el("bdi", { dir: "ltr", text: request.until })]);
  }

  function card(c, openingId) {
    var tags = [];
    if (c.shortlisted) tags.push(" ", el("span", { class: "tag live", text: L.shortlisted }));
    if (c.meeting_with_us) tags.push(" ", el("span", { class: "tag", text: L.meeting_booked }));
    else if (c.request) tags.push(" ", requestTag(c.request));
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
      c.meeting_with_us
        ? null
        : c.request && c.request.sent_by === "employer"
          ? button("withdraw", L.withdraw)
          : c.request
            ? null
            : button("request", L.request, true),
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
      // An employer's own request opening or closing is drawn from the rows that follow it
      // (board.changed); a candidate's request also changes the list of requests above: re-read.
      var own = /^meeting_request\./.test(msg.type) && msg.data && msg.data.sent_by === "employer";
      if (own) return;
      if (msg.type !== "board.changed" || !render(msg.data || {})) live.resync("changed");
    },
  });
})(window);
