/*! pages.js: small helpers shared by the live pages (control room, lobby screen, My day). Needs live.js.
 * The pages load both, and their data, with templates/live/_scripts.html. */
(function (root) {
  "use strict";
  var doc = root.document;

  function el(tag, attrs, children) {
    var node = doc.createElement(tag);
    for (var key in attrs || {}) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "class") node.className = attrs[key];
      else if (attrs[key] !== null && attrs[key] !== undefined) node.setAttribute(key, attrs[key]);
    }
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? doc.createTextNode(child) : child);
    });
    return node;
  }

  function replace(container, nodes) {
    while (container.firstChild) container.removeChild(container.firstChild);
    nodes.forEach(function (n) {
      container.appendChild(n);
    });
  }

  function time(iso, tz) {
    var lang = doc.documentElement.lang || "en";
    try {
      return new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: tz }).format(new Date(iso));
    } catch (err) {
      return iso.slice(11, 16);
    }
  }

  var names = null;

  /** The day and month names the server sent (templates/live/_scripts.html), if the browser lacks the language. */
  function fallbackNames(lang) {
    if (names === null) {
      var node = doc.getElementById("date-names");
      names = node ? JSON.parse(node.textContent) : false;
    }
    try {
      if (Intl.DateTimeFormat.supportedLocalesOf([lang]).length) return false;
    } catch (err) {
      /* an odd tag: use the names */
    }
    return names;
  }

  function day(iso, tz) {
    var lang = doc.documentElement.lang || "en";
    var n = fallbackNames(lang);
    if (n) {
      // Chromium has no Kurdish: take the date's parts in the event's zone and Django's names for them.
      try {
        var parts = {};
        new Intl.DateTimeFormat("en-u-nu-latn", { year: "numeric", month: "numeric", day: "numeric", timeZone: tz })
          .formatToParts(new Date(iso))
          .forEach(function (p) {
            parts[p.type] = Number(p.value);
          });
        var weekday = (new Date(Date.UTC(parts.year, parts.month - 1, parts.day)).getUTCDay() + 6) % 7;
        return n.pattern
          .replace("%(weekday)s", n.weekdays[weekday])
          .replace("%(day)s", String(parts.day))
          .replace("%(month)s", n.months[parts.month - 1]);
      } catch (err) {
        return iso.slice(0, 10);
      }
    }
    try {
      return new Intl.DateTimeFormat(lang, { weekday: "short", day: "numeric", month: "short", timeZone: tz }).format(
        new Date(iso)
      );
    } catch (err) {
      return iso.slice(0, 10);
    }
  }

  /** An announcement in the reader's language when the sender gave a translation. */
  function text(announcement) {
    var lang = (doc.documentElement.lang || "en").split("-")[0];
    var t = announcement.translations || {};
    return t[lang] || announcement.text;
  }

  /** Sessions grouped per room: the one running now and the next one, by status and the clock. */
  function nowAndNext(sessions, now) {
    var rooms = {};
    sessions.forEach(function (s) {
      if (s.status === "cancelled" || s.status === "ended") return;
      var key = s.room || "";
      var r = rooms[key] || (rooms[key] = { room: s.room, now: null, next: null });
      var start = Date.parse(s.starts_at);
      var end = Date.parse(s.ends_at);
      var running = s.status === "live" || (start <= now && now < end);
      if (running && !r.now) r.now = s;
      else if (!running && end > now && (!r.next || start < Date.parse(r.next.starts_at))) r.next = s;
    });
    return Object.keys(rooms)
      .sort()
      .map(function (k) {
        return rooms[k];
      });
  }

  function upsert(list, item) {
    for (var i = 0; i < list.length; i++) {
      if (list[i].id === item.id) {
        list[i] = item;
        return list;
      }
    }
    list.push(item);
    list.sort(function (a, b) {
      return Date.parse(a.starts_at) - Date.parse(b.starts_at) || a.id - b.id;
    });
    return list;
  }

  function remove(list, id) {
    return list.filter(function (x) {
      return x.id !== id;
    });
  }

  /** The connection badge: one element whose text and data-state follow live.js. */
  function badge(node, labels) {
    return function (state) {
      node.setAttribute("data-state", state);
      node.textContent = labels[state] || state;
    };
  }

  function csrf() {
    var m = doc.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    var meta = doc.querySelector('meta[name="csrf-token"]');
    return m ? decodeURIComponent(m[1]) : meta ? meta.content : "";
  }

  /** POST JSON with the session's CSRF token; resolves to {ok, status, body}. */
  function post(url, body) {
    return send("POST", url, body);
  }

  /** Any method (POST, DELETE…) with a JSON body and the session's CSRF token; resolves to {ok, status, body}. */
  function send(method, url, body) {
    return root
      .fetch(url, {
        method: method,
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify(body || {}),
      })
      .then(function (r) {
        return r
          .json()
          .catch(function () {
            return {};
          })
          .then(function (b) {
            return { ok: r.ok, status: r.status, body: b };
          });
      });
  }

  /** The data a page's template wrote with json_script (templates/live/_scripts.html). */
  function json(id) {
    return JSON.parse(doc.getElementById(id).textContent);
  }

  function getJSON(url) {
    return root
      .fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      });
  }

  root.LivePages = {
    el: el,
    replace: replace,
    time: time,
    day: day,
    text: text,
    nowAndNext: nowAndNext,
    upsert: upsert,
    remove: remove,
    badge: badge,
    post: post,
    send: send,
    getJSON: getJSON,
    json: json,
  };
})(window);
