"""The lobby screen on a TV, read from three metres: large type, strong contrast, no name cut off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Announcement
from tests.browser import phone_page
from tests.conftest import requires_chromium
from tests.factories import RoomFactory, SessionFactory
from tests.servers import daphne  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"full HD": (1920, 1080), "HD ready": (1280, 720), "upright": (1080, 1920)}
# Type at least 1.5 % of the screen's width: 29 px on a 1920 px screen, whose pixels are 0.63 mm on
# a 55" TV, so letters about 13 mm high: readable across a hall at three metres and more.
MIN_FONT_VW = 1.5
LONG_ROOM = "القاعة الكبرى للمؤتمرات والمعارض الدولية في بغداد"
LONG_TITLE = "افتتاح معرض التوظيف الرقمي بين ليتوانيا والعراق: المواهب الرقمية والشراكات بين أصحاب العمل"

MEASURE = """() => {
  const lum = (rgb) => {
    const c = rgb.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const bg = getComputedStyle(e).backgroundColor;
      const alpha = (bg.match(/[\\d.]+/g) || [])[3];
      if (bg && bg !== 'transparent' && alpha !== '0') return bg;
    }
    return 'rgb(255, 255, 255)';
  };
  const texts = [...document.querySelectorAll('body *')].filter(e =>
    e.offsetParent !== null && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()));
  return texts.map(e => {
    const s = getComputedStyle(e), r = e.getBoundingClientRect();
    const [a, b] = [lum(s.color), lum(background(e))].sort((x, y) => y - x);
    return {
      text: e.textContent.trim().slice(0, 40), tag: e.tagName.toLowerCase(), cls: e.className,
      size: parseFloat(s.fontSize), contrast: (a + 0.05) / (b + 0.05),
      clipped: e.scrollWidth > e.clientWidth + 1 && s.overflow !== 'visible',
      ellipsis: s.textOverflow === 'ellipsis',
      outside: r.left < -1 || r.right > window.innerWidth + 1,
      inBoard: !!e.closest('main'),
    };
  });
}"""


@requires_chromium
@pytest.mark.parametrize("language", ["en", "ar"])
def test_lobby_screen_is_readable_from_three_metres(actors, daphne, language):  # noqa: F811
    now = timezone.now()
    event = actors.event
    event.starts_at, event.ends_at, event.status = now - timedelta(hours=1), now + timedelta(hours=6), "live"
    event.save()
    hall = RoomFactory(event=event, name=LONG_ROOM)
    SessionFactory(event=event, room=hall, title=LONG_TITLE, starts_at=now - timedelta(minutes=5),
                   ends_at=now + timedelta(minutes=55))  # fmt: skip
    SessionFactory(event=event, room=hall, title="Working in Lithuania's ICT sector",
                   starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=2))  # fmt: skip
    Announcement.objects.create(event=event, text="الغداء في الردهة الكبرى الساعة الواحدة ظهراً.", language="ar")

    for name, (width, height) in SCREENS.items():
        size = {"width": width, "height": height}
        with phone_page(viewport=size, screen=size, is_mobile=False, has_touch=False, locale=language) as page:
            page.context.add_cookies([{"name": "django_language", "value": language, "url": daphne.url}])
            page.goto(daphne.url + "/events/job-fair/screen")
            page.wait_for_selector('html[data-live="online"]')
            page.wait_for_selector(".room .slot.now")
            texts = page.evaluate(MEASURE)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            shown = page.inner_text("body")
            page.screenshot(path=f"/tmp/explorers-lobby-{language}-{name.replace(' ', '-')}.png")
        assert overflow <= 0, name
        assert LONG_ROOM in shown and LONG_TITLE in shown, f"{name}: a long Arabic name is not shown whole"
        small = [(t["text"], round(t["size"])) for t in texts if t["size"] < width * MIN_FONT_VW / 100]
        assert small == [], f"{name}: text smaller than {MIN_FONT_VW} vw: {small}"
        faint = [(t["text"], round(t["contrast"], 1)) for t in texts if t["contrast"] < 7]
        assert faint == [], f"{name}: below WCAG AAA contrast (7:1): {faint}"
        cut = [t["text"] for t in texts if t["clipped"] or t["ellipsis"] or t["outside"]]
        assert cut == [], f"{name}: text cut off or outside the screen: {cut}"
