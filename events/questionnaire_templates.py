"""The two questionnaires that ship with the platform, written for the Lithuania–Iraq digital-talent programme.

- "ict_curriculum_review": for universities and training providers: their ICT programmes and courses,
  the skills they teach (a skills question, purpose "taught", which the three-way skills gap reads),
  practical and industry components, graduates per year and teaching languages.
- "institutional_capacity": for government institutions implementing labour-market policy: their
  services, systems, staff skills (purpose "needed"), infrastructure, priorities and constraints.

Each template is a questionnaire body in the shape `events.questionnaires.questionnaire_create` takes
(and `POST /api/v1/programmes/{slug}/questionnaires` accepts), every text in English, Arabic,
Lithuanian and Kurdish (Sorani). Plain data, no database: a template is copied into a programme's own
questionnaire, which organisers may then edit; changing this file changes no existing questionnaire.
"""

from __future__ import annotations

import copy
from typing import Any


def t(en: str, ar: str, lt: str, ckb: str) -> dict[str, str]:
    return {"en": en, "ar": ar, "lt": lt, "ckb": ckb}


def opt(value: str, en: str, ar: str, lt: str, ckb: str) -> dict[str, Any]:
    return {"value": value, "label": t(en, ar, lt, ckb)}


def q(key: str, kind: str, text: dict[str, str], **fields: Any) -> dict[str, Any]:
    return {"key": key, "kind": kind, "text": text, **fields}


SCALE_QUALITY = {
    "low": t("Very poor", "ضعيف جداً", "Labai prastai", "زۆر لاواز"),
    "high": t("Excellent", "ممتاز", "Puikiai", "نایاب"),
}
SCALE_PRIORITY = {
    "low": t("Not a priority", "ليست أولوية", "Ne prioritetas", "ئەولەویەت نییە"),
    "high": t("Top priority", "أولوية قصوى", "Svarbiausias prioritetas", "بەرزترین ئەولەویەت"),
}

ICT_CURRICULUM_REVIEW: dict[str, Any] = {
    "title": t(
        "ICT curriculum review",
        "مراجعة مناهج تكنولوجيا المعلومات والاتصالات",
        "IRT studijų programų apžvalga",
        "پێداچوونەوەی پرۆگرامی خوێندنی تەکنەلۆجیای زانیاری و پەیوەندی",
    ),
    "intro": t(
        "The Lithuania–Iraq digital talent programme is mapping which digital skills Iraqi universities and "
        "training providers teach, so that training and partnerships meet the labour market's needs. The "
        "questionnaire takes about 15 minutes; your answers are saved as you go.",
        "يعمل برنامج المواهب الرقمية بين ليتوانيا والعراق على رصد المهارات الرقمية التي تدرّسها الجامعات ومقدّمو "
        "التدريب في العراق، لكي يلبّي التدريب والشراكات احتياجات سوق العمل. يستغرق الاستبيان نحو 15 دقيقة، "
        "وتُحفظ إجاباتك أولاً بأول.",
        "Lietuvos ir Irako skaitmeninių talentų programa tiria, kokių skaitmeninių įgūdžių moko Irako universitetai "
        "ir mokymo įstaigos, kad mokymai ir partnerystės atitiktų darbo rinkos poreikius. Klausimynas užtruks apie "
        "15 minučių; atsakymai išsaugomi pildant.",
        "بەرنامەی بەهرە دیجیتاڵییەکانی لیتوانیا و عێراق نەخشەی ئەو کارامەییە دیجیتاڵییانە دەکێشێت کە زانکۆکان و "
        "دابینکەرانی ڕاهێنان لە عێراق فێری دەکەن، بۆ ئەوەی ڕاهێنان و هاوبەشییەکان لەگەڵ پێداویستییەکانی بازاڕی کار "
        "بگونجێن. پرسیارنامەکە نزیکەی 15 خولەک دەخایەنێت؛ وەڵامەکانت لە کاتی پڕکردنەوەدا پاشەکەوت دەکرێن.",
    ),
    "audience": ["university", "training_provider"],
    "link_days": 30,
    "reminder_days": [7, 14],
    "sections": [
        {
            "title": t(
                "Your ICT programmes", "برامجكم في تكنولوجيا المعلومات", "Jūsų IRT programos", "پرۆگرامەکانی ICTی ئێوە"
            ),
            "questions": [
                q(
                    "programme_count",
                    "number",
                    t(
                        "How many ICT study programmes and training courses does your institution run?",
                        "كم عدد البرامج الدراسية والدورات التدريبية في تكنولوجيا المعلومات التي تقدّمها مؤسستكم؟",
                        "Kiek IRT studijų programų ir mokymo kursų vykdo jūsų įstaiga?",
                        "دامەزراوەکەتان چەند پرۆگرامی خوێندن و خولی ڕاهێنانی ICT بەڕێوە دەبات؟",
                    ),
                    required=True,
                    settings={"min": 0, "max": 500},
                ),
                q(
                    "programme_levels",
                    "multiple",
                    t(
                        "At which levels do you teach ICT?",
                        "في أي مستويات تدرّسون تكنولوجيا المعلومات؟",
                        "Kokiais lygmenimis mokote IRT?",
                        "لە چ ئاستێکدا ICT دەخوێنن؟",
                    ),
                    required=True,
                    options=[
                        opt(
                            "short_course",
                            "Short courses (under 6 months)",
                            "دورات قصيرة (أقل من 6 أشهر)",
                            "Trumpi kursai (iki 6 mėnesių)",
                            "خولی کورت (کەمتر لە 6 مانگ)",
                        ),
                        opt("vocational", "Vocational diploma", "دبلوم مهني", "Profesinis diplomas", "دیپلۆمی پیشەیی"),
                        opt("bachelor", "Bachelor's degree", "بكالوريوس", "Bakalauro laipsnis", "بەکالۆریۆس"),
                        opt("master", "Master's degree", "ماجستير", "Magistro laipsnis", "ماستەر"),
                        opt("doctorate", "Doctorate", "دكتوراه", "Daktaro laipsnis", "دکتۆرا"),
                    ],
                ),
                q(
                    "main_programmes",
                    "long_text",
                    t(
                        "Name your main ICT programmes and courses, one per line.",
                        "اذكروا أهم برامجكم ودوراتكم في تكنولوجيا المعلومات، كلّ واحد في سطر.",
                        "Išvardykite pagrindines IRT programas ir kursus, po vieną eilutėje.",
                        "سەرەکیترین پرۆگرام و خولەکانی ICTتان بنووسن، هەر یەکەیان لە دێڕێکدا.",
                    ),
                ),
                q(
                    "graduates_per_year",
                    "number",
                    t(
                        "How many people graduate from your ICT programmes and courses each year?",
                        "كم عدد الخرّيجين من برامجكم ودوراتكم في تكنولوجيا المعلومات سنوياً؟",
                        "Kiek žmonių kasmet baigia jūsų IRT programas ir kursus?",
                        "ساڵانە چەند کەس لە پرۆگرام و خولەکانی ICTتان دەردەچن؟",
                    ),
                    required=True,
                    settings={"min": 0, "max": 100000},
                ),
                q(
                    "teaching_languages",
                    "multiple",
                    t(
                        "In which languages is ICT taught?",
                        "بأي لغات تُدرَّس تكنولوجيا المعلومات؟",
                        "Kokiomis kalbomis dėstoma IRT?",
                        "ICT بە چ زمانێک دەخوێندرێت؟",
                    ),
                    required=True,
                    options=[
                        opt("ar", "Arabic", "العربية", "Arabų", "عەرەبی"),
                        opt("ckb", "Kurdish", "الكردية", "Kurdų", "کوردی"),
                        opt("en", "English", "الإنجليزية", "Anglų", "ئینگلیزی"),
                        opt("other", "Another language", "لغة أخرى", "Kita kalba", "زمانێکی تر"),
                    ],
                ),
                q(
                    "curriculum_revised",
                    "date",
                    t(
                        "When was your main ICT curriculum last revised?",
                        "متى رُوجع منهجكم الرئيسي في تكنولوجيا المعلومات آخر مرة؟",
                        "Kada paskutinį kartą buvo atnaujinta pagrindinė IRT programa?",
                        "دوایین جار کەی پرۆگرامی سەرەکی ICTتان پێداچوونەوەی بۆ کرا؟",
                    ),
                ),
            ],
        },
        {
            "title": t(
                "Skills you teach", "المهارات التي تدرّسونها", "Kokių įgūdžių mokote", "ئەو کارامەییانەی فێری دەکەن"
            ),
            "questions": [
                q(
                    "skills_taught",
                    "skills",
                    t(
                        "Which skills do your programmes teach, and to what level (1 basic – 5 expert)?",
                        "ما المهارات التي تدرّسها برامجكم، وبأي مستوى (1 أساسي – 5 خبير)؟",
                        "Kokių įgūdžių moko jūsų programos ir kokiu lygiu (1 pradinis – 5 ekspertas)?",
                        "پرۆگرامەکانتان فێری چ کارامەییەک دەکەن، و بە چ ئاستێک (1 سەرەتایی – 5 شارەزا)؟",
                    ),
                    required=True,
                    skill_purpose="taught",
                ),
                q(
                    "framework",
                    "single",
                    t(
                        "Is your curriculum aligned with an external framework?",
                        "هل منهجكم متوافق مع إطار خارجي؟",
                        "Ar jūsų programa suderinta su išorine sistema?",
                        "ئایا پرۆگرامەکەتان لەگەڵ چوارچێوەیەکی دەرەکی گونجێنراوە؟",
                    ),
                    options=[
                        opt(
                            "international",
                            "Yes, an international one (ACM/IEEE, ESCO, vendor certifications)",
                            "نعم، إطار دولي (ACM/IEEE أو ESCO أو شهادات الشركات)",
                            "Taip, tarptautine (ACM/IEEE, ESCO, gamintojų sertifikatai)",
                            "بەڵێ، نێودەوڵەتی (ACM/IEEE، ESCO، بڕوانامەی کۆمپانیاکان)",
                        ),
                        opt("national", "Yes, a national one", "نعم، إطار وطني", "Taip, nacionaline", "بەڵێ، نیشتمانی"),
                        opt("no", "No", "لا", "Ne", "نەخێر"),
                        opt("unsure", "I do not know", "لا أعرف", "Nežinau", "نازانم"),
                    ],
                ),
                q(
                    "framework_name",
                    "short_text",
                    t(
                        "Which framework or certifications?",
                        "ما الإطار أو الشهادات؟",
                        "Kokia sistema ar sertifikatai?",
                        "کام چوارچێوە یان بڕوانامە؟",
                    ),
                    show_if="framework",
                    show_if_values=["international", "national"],
                ),
            ],
        },
        {
            "title": t(
                "Practical and industry components",
                "المكوّنات العملية والصلة بقطاع العمل",
                "Praktinė dalis ir ryšiai su verslu",
                "بەشە پراکتیکییەکان و پەیوەندی بە بازاڕەوە",
            ),
            "questions": [
                q(
                    "internship",
                    "single",
                    t(
                        "Do students complete an internship or work placement?",
                        "هل يؤدّي الطلاب تدريباً عملياً أو تدريباً في مكان عمل؟",
                        "Ar studentai atlieka praktiką darbo vietoje?",
                        "ئایا خوێندکاران ڕاهێنانی کرداری یان کارکردن لە شوێنی کار تەواو دەکەن؟",
                    ),
                    required=True,
                    options=[
                        opt(
                            "required",
                            "Yes, for every student",
                            "نعم، لجميع الطلاب",
                            "Taip, visi studentai",
                            "بەڵێ، بۆ هەموو خوێندکاران",
                        ),
                        opt(
                            "optional", "For some students", "لبعض الطلاب", "Kai kurie studentai", "بۆ هەندێک خوێندکار"
                        ),
                        opt("no", "No", "لا", "Ne", "نەخێر"),
                    ],
                ),
                q(
                    "internship_weeks",
                    "number",
                    t(
                        "How many weeks does the placement usually last?",
                        "كم أسبوعاً يستمرّ التدريب عادةً؟",
                        "Kiek savaičių paprastai trunka praktika?",
                        "ڕاهێنانەکە بە زۆری چەند هەفتە دەخایەنێت؟",
                    ),
                    settings={"min": 1, "max": 52},
                    show_if="internship",
                    show_if_values=["required", "optional"],
                ),
                q(
                    "industry_involvement",
                    "multiple",
                    t(
                        "How are employers involved in your programmes?",
                        "كيف يشارك أصحاب العمل في برامجكم؟",
                        "Kaip darbdaviai dalyvauja jūsų programose?",
                        "خاوەنکاران چۆن بەشداری لە پرۆگرامەکانتان دەکەن؟",
                    ),
                    options=[
                        opt(
                            "advisory_board",
                            "Advisory board",
                            "مجلس استشاري",
                            "Patariamoji taryba",
                            "ئەنجومەنی ڕاوێژکاری",
                        ),
                        opt("guest_lectures", "Guest lectures", "محاضرات ضيوف", "Svečių paskaitos", "وانەی میوان"),
                        opt(
                            "joint_projects",
                            "Joint or real-client projects",
                            "مشاريع مشتركة أو لعملاء حقيقيين",
                            "Bendri ar realių užsakovų projektai",
                            "پرۆژەی هاوبەش یان بۆ کڕیاری ڕاستەقینە",
                        ),
                        opt(
                            "curriculum_design",
                            "Designing the curriculum",
                            "تصميم المنهج",
                            "Programos rengimas",
                            "داڕشتنی پرۆگرامی خوێندن",
                        ),
                        opt(
                            "hiring",
                            "Recruiting graduates",
                            "توظيف الخرّيجين",
                            "Absolventų įdarbinimas",
                            "دامەزراندنی دەرچووان",
                        ),
                        opt("none", "Not involved", "لا يشاركون", "Nedalyvauja", "بەشدار نین"),
                    ],
                ),
                q(
                    "practical_share",
                    "scale",
                    t(
                        "How practical is the teaching?",
                        "ما مدى الطابع العملي للتدريس؟",
                        "Kiek mokymas yra praktinis?",
                        "وانەوتنەوەکە چەند پراکتیکییە؟",
                    ),
                    settings={
                        "low": t("Mostly theory", "نظري في الغالب", "Daugiausia teorija", "زیاتر تیۆری"),
                        "high": t("Mostly hands-on", "عملي في الغالب", "Daugiausia praktika", "زیاتر پراکتیکی"),
                    },
                ),
                q(
                    "labs",
                    "scale",
                    t(
                        "How well do your labs, equipment and software match what employers use?",
                        "إلى أي مدى تتوافق مختبراتكم وأجهزتكم وبرمجياتكم مع ما يستخدمه أصحاب العمل؟",
                        "Kiek jūsų laboratorijos, įranga ir programinė įranga atitinka tai, ką naudoja darbdaviai?",
                        "تاقیگە و ئامێر و نەرمەکاڵاکانتان چەند لەگەڵ ئەوەی خاوەنکاران بەکاری دەهێنن دەگونجێن؟",
                    ),
                    settings=SCALE_QUALITY,
                ),
            ],
        },
        {
            "title": t("Gaps and support", "الفجوات والدعم", "Spragos ir parama", "کەموکورتی و پشتگیری"),
            "questions": [
                q(
                    "hardest_to_teach",
                    "long_text",
                    t(
                        "Which skills are hardest for you to teach, and why?",
                        "ما المهارات الأصعب عليكم في تدريسها، ولماذا؟",
                        "Kurių įgūdžių jums sunkiausia mokyti ir kodėl?",
                        "فێرکردنی کام کارامەییانە بۆتان قورسترە، و بۆچی؟",
                    ),
                ),
                q(
                    "support_wanted",
                    "multiple",
                    t(
                        "Which support would help your institution most?",
                        "ما الدعم الذي سيفيد مؤسستكم أكثر؟",
                        "Kokia parama jūsų įstaigai labiausiai padėtų?",
                        "چ پشتگیرییەک زیاتر سوود بە دامەزراوەکەتان دەگەیەنێت؟",
                    ),
                    options=[
                        opt(
                            "teacher_training",
                            "Training for teachers",
                            "تدريب المدرّسين",
                            "Dėstytojų mokymai",
                            "ڕاهێنانی مامۆستایان",
                        ),
                        opt(
                            "equipment",
                            "Lab equipment and software",
                            "أجهزة المختبرات والبرمجيات",
                            "Laboratorijų įranga ir programinė įranga",
                            "ئامێری تاقیگە و نەرمەکاڵا",
                        ),
                        opt(
                            "industry_links",
                            "Partnerships with employers",
                            "شراكات مع أصحاب العمل",
                            "Partnerystės su darbdaviais",
                            "هاوبەشی لەگەڵ خاوەنکاران",
                        ),
                        opt(
                            "curriculum_update",
                            "Updating the curriculum",
                            "تحديث المنهج",
                            "Programos atnaujinimas",
                            "نوێکردنەوەی پرۆگرامی خوێندن",
                        ),
                        opt(
                            "exchange",
                            "Exchanges with Lithuanian institutions",
                            "تبادل مع مؤسسات ليتوانية",
                            "Mainai su Lietuvos įstaigomis",
                            "ئاڵوگۆڕ لەگەڵ دامەزراوە لیتوانییەکان",
                        ),
                        opt(
                            "certifications",
                            "Industry certifications",
                            "شهادات مهنية معترف بها",
                            "Pramonės sertifikatai",
                            "بڕوانامەی پیشەیی",
                        ),
                    ],
                ),
                q(
                    "comments",
                    "long_text",
                    t(
                        "Anything else we should know?",
                        "هل هناك أي شيء آخر ينبغي أن نعرفه؟",
                        "Ar dar ką nors turėtume žinoti?",
                        "شتێکی تر هەیە کە پێویستە بیزانین؟",
                    ),
                ),
            ],
        },
    ],
}

INSTITUTIONAL_CAPACITY: dict[str, Any] = {
    "title": t(
        "Institutional capacity-building needs",
        "احتياجات بناء القدرات المؤسسية",
        "Institucinių gebėjimų stiprinimo poreikiai",
        "پێداویستییەکانی بونیادنانی توانای دامەزراوەیی",
    ),
    "intro": t(
        "This questionnaire asks institutions that implement labour-market policy in Iraq about their services, "
        "systems, staff skills and infrastructure, so that the Lithuania–Iraq digital talent programme can plan "
        "capacity building and modernisation where it helps most. It takes about 15 minutes; your answers are "
        "saved as you go.",
        "يسأل هذا الاستبيان المؤسسات التي تنفّذ سياسات سوق العمل في العراق عن خدماتها وأنظمتها ومهارات موظفيها "
        "وبنيتها التحتية، لكي يخطّط برنامج المواهب الرقمية بين ليتوانيا والعراق لبناء القدرات والتحديث حيث يكون "
        "أكثر فائدة. يستغرق نحو 15 دقيقة، وتُحفظ إجاباتك أولاً بأول.",
        "Šiuo klausimynu Irako institucijų, įgyvendinančių darbo rinkos politiką, klausiama apie jų paslaugas, "
        "sistemas, darbuotojų įgūdžius ir infrastruktūrą, kad Lietuvos ir Irako skaitmeninių talentų programa "
        "galėtų planuoti gebėjimų stiprinimą ir modernizavimą ten, kur tai naudingiausia. Užtruks apie 15 minučių; "
        "atsakymai išsaugomi pildant.",
        "ئەم پرسیارنامەیە لە دامەزراوەکانی جێبەجێکردنی سیاسەتی بازاڕی کار لە عێراق دەپرسێت دەربارەی خزمەتگوزاری، "
        "سیستەم، کارامەیی کارمەندان و ژێرخانەکانیان، بۆ ئەوەی بەرنامەی بەهرە دیجیتاڵییەکانی لیتوانیا و عێراق "
        "بونیادنانی توانا و نوێکردنەوە لەو شوێنانە پلان بکات کە زیاترین سوودی هەیە. نزیکەی 15 خولەک دەخایەنێت؛ "
        "وەڵامەکانت لە کاتی پڕکردنەوەدا پاشەکەوت دەکرێن.",
    ),
    "audience": ["government"],
    "link_days": 30,
    "reminder_days": [7, 14],
    "sections": [
        {
            "title": t(
                "Your institution and services",
                "مؤسستكم وخدماتها",
                "Jūsų institucija ir paslaugos",
                "دامەزراوەکەتان و خزمەتگوزارییەکانی",
            ),
            "questions": [
                q(
                    "role",
                    "single",
                    t(
                        "What is your institution's main role in labour-market policy?",
                        "ما الدور الرئيسي لمؤسستكم في سياسات سوق العمل؟",
                        "Koks pagrindinis jūsų institucijos vaidmuo darbo rinkos politikoje?",
                        "ڕۆڵی سەرەکی دامەزراوەکەتان لە سیاسەتی بازاڕی کاردا چییە؟",
                    ),
                    required=True,
                    options=[
                        opt(
                            "employment_services",
                            "Public employment services",
                            "خدمات التشغيل العامة",
                            "Viešosios užimtumo paslaugos",
                            "خزمەتگوزاری گشتی دامەزراندن",
                        ),
                        opt(
                            "vocational_training",
                            "Vocational training",
                            "التدريب المهني",
                            "Profesinis mokymas",
                            "ڕاهێنانی پیشەیی",
                        ),
                        opt(
                            "policy",
                            "Policy design and regulation",
                            "رسم السياسات والتنظيم",
                            "Politikos formavimas ir reguliavimas",
                            "داڕشتنی سیاسەت و ڕێکخستن",
                        ),
                        opt(
                            "statistics",
                            "Labour-market statistics",
                            "إحصاءات سوق العمل",
                            "Darbo rinkos statistika",
                            "ئاماری بازاڕی کار",
                        ),
                        opt("other", "Another role", "دور آخر", "Kitas vaidmuo", "ڕۆڵێکی تر"),
                    ],
                ),
                q(
                    "services",
                    "multiple",
                    t(
                        "Which services do you offer to jobseekers and employers?",
                        "ما الخدمات التي تقدّمونها للباحثين عن عمل ولأصحاب العمل؟",
                        "Kokias paslaugas teikiate darbo ieškantiems asmenims ir darbdaviams?",
                        "چ خزمەتگوزارییەک پێشکەش بە کارگەڕان و خاوەنکاران دەکەن؟",
                    ),
                    options=[
                        opt(
                            "job_matching",
                            "Matching jobseekers with vacancies",
                            "مطابقة الباحثين عن عمل مع الشواغر",
                            "Darbo ieškančiųjų ir laisvų vietų derinimas",
                            "گونجاندنی کارگەڕان لەگەڵ هەلی کار",
                        ),
                        opt(
                            "career_guidance",
                            "Career guidance",
                            "الإرشاد المهني",
                            "Profesinis orientavimas",
                            "ڕێنمایی پیشەیی",
                        ),
                        opt(
                            "training_referral",
                            "Referral to training",
                            "الإحالة إلى التدريب",
                            "Siuntimas į mokymus",
                            "ناردن بۆ ڕاهێنان",
                        ),
                        opt(
                            "lmi",
                            "Labour-market information",
                            "معلومات سوق العمل",
                            "Darbo rinkos informacija",
                            "زانیاری بازاڕی کار",
                        ),
                        opt(
                            "employer_services",
                            "Services to employers",
                            "خدمات لأصحاب العمل",
                            "Paslaugos darbdaviams",
                            "خزمەتگوزاری بۆ خاوەنکاران",
                        ),
                        opt(
                            "self_employment",
                            "Support for self-employment",
                            "دعم العمل الحر",
                            "Parama savarankiškam darbui",
                            "پشتگیری کاری سەربەخۆ",
                        ),
                    ],
                ),
                q(
                    "people_reached",
                    "number",
                    t(
                        "About how many people do your services reach each year?",
                        "كم شخصاً تقريباً تصل إليهم خدماتكم سنوياً؟",
                        "Maždaug kiek žmonių kasmet pasiekia jūsų paslaugos?",
                        "ساڵانە نزیکەی چەند کەس خزمەتگوزارییەکانتان پێیان دەگات؟",
                    ),
                    settings={"min": 0, "max": 10000000},
                ),
                q(
                    "staff_count",
                    "number",
                    t(
                        "How many staff work on these services?",
                        "كم عدد الموظفين العاملين في هذه الخدمات؟",
                        "Kiek darbuotojų dirba teikiant šias paslaugas?",
                        "چەند کارمەند لەم خزمەتگوزارییانەدا کار دەکەن؟",
                    ),
                    required=True,
                    settings={"min": 0, "max": 100000},
                ),
            ],
        },
        {
            "title": t(
                "Systems and infrastructure", "الأنظمة والبنية التحتية", "Sistemos ir infrastruktūra", "سیستەم و ژێرخان"
            ),
            "questions": [
                q(
                    "systems",
                    "multiple",
                    t(
                        "Which digital systems does your institution use?",
                        "ما الأنظمة الرقمية التي تستخدمها مؤسستكم؟",
                        "Kokias skaitmenines sistemas naudoja jūsų institucija?",
                        "دامەزراوەکەتان چ سیستەمێکی دیجیتاڵی بەکاردەهێنێت؟",
                    ),
                    options=[
                        opt(
                            "case_management",
                            "Case management for jobseekers",
                            "نظام إدارة ملفات الباحثين عن عمل",
                            "Darbo ieškančiųjų bylų valdymas",
                            "بەڕێوەبردنی دۆسیەی کارگەڕان",
                        ),
                        opt(
                            "job_portal",
                            "Online job portal",
                            "بوابة وظائف إلكترونية",
                            "Internetinis darbo portalas",
                            "دەروازەی ئۆنلاینی هەلی کار",
                        ),
                        opt(
                            "lmis",
                            "Labour-market information system",
                            "نظام معلومات سوق العمل",
                            "Darbo rinkos informacinė sistema",
                            "سیستەمی زانیاری بازاڕی کار",
                        ),
                        opt(
                            "office",
                            "Email and office software only",
                            "البريد الإلكتروني وبرامج المكتب فقط",
                            "Tik el. paštas ir biuro programos",
                            "تەنها ئیمەیڵ و نەرمەکاڵای ئۆفیس",
                        ),
                        opt(
                            "paper",
                            "Mostly paper records",
                            "سجلات ورقية في الغالب",
                            "Daugiausia popieriniai įrašai",
                            "زیاتر تۆماری کاغەزی",
                        ),
                    ],
                ),
                q(
                    "online_services",
                    "single",
                    t(
                        "Can people use your services online?",
                        "هل يستطيع الناس استخدام خدماتكم عبر الإنترنت؟",
                        "Ar jūsų paslaugomis galima naudotis internetu?",
                        "ئایا خەڵک دەتوانن خزمەتگوزارییەکانتان بە ئۆنلاین بەکاربهێنن؟",
                    ),
                    required=True,
                    options=[
                        opt("fully", "Yes, fully", "نعم، بالكامل", "Taip, visiškai", "بەڵێ، بە تەواوی"),
                        opt("partly", "Partly", "جزئياً", "Iš dalies", "بە بەشێک"),
                        opt("no", "No", "لا", "Ne", "نەخێر"),
                    ],
                ),
                q(
                    "online_needs",
                    "long_text",
                    t(
                        "What would your institution need to offer its services online?",
                        "ما الذي تحتاجه مؤسستكم لتقديم خدماتها عبر الإنترنت؟",
                        "Ko jūsų institucijai reikėtų, kad paslaugas teiktų internetu?",
                        "دامەزراوەکەتان پێویستی بە چییە بۆ ئەوەی خزمەتگوزارییەکانی بە ئۆنلاین پێشکەش بکات؟",
                    ),
                    show_if="online_services",
                    show_if_values=["partly", "no"],
                ),
                q(
                    "infrastructure",
                    "scale",
                    t(
                        "How adequate is your IT infrastructure (computers, network, servers)?",
                        "ما مدى كفاية بنيتكم التحتية لتكنولوجيا المعلومات (الحواسيب، الشبكة، الخوادم)؟",
                        "Ar pakankama jūsų IT infrastruktūra (kompiuteriai, tinklas, serveriai)?",
                        "ژێرخانی IT ـتان (کۆمپیوتەر، تۆڕ، سێرڤەر) چەند بەسە؟",
                    ),
                    required=True,
                    settings=SCALE_QUALITY,
                ),
                q(
                    "infrastructure_needs",
                    "multiple",
                    t(
                        "Which infrastructure needs modernising first?",
                        "ما البنية التحتية التي تحتاج إلى التحديث أولاً؟",
                        "Kurią infrastruktūrą reikia modernizuoti pirmiausia?",
                        "کام ژێرخان پێویستی بە نوێکردنەوەی یەکەم جار هەیە؟",
                    ),
                    options=[
                        opt(
                            "computers",
                            "Computers and devices",
                            "الحواسيب والأجهزة",
                            "Kompiuteriai ir įrenginiai",
                            "کۆمپیوتەر و ئامێرەکان",
                        ),
                        opt(
                            "connectivity",
                            "Internet connectivity",
                            "الاتصال بالإنترنت",
                            "Interneto ryšys",
                            "پەیوەندی ئینتەرنێت",
                        ),
                        opt(
                            "servers",
                            "Servers and cloud hosting",
                            "الخوادم والاستضافة السحابية",
                            "Serveriai ir debesų talpinimas",
                            "سێرڤەر و هۆستی هەوری",
                        ),
                        opt("security", "Cybersecurity", "الأمن السيبراني", "Kibernetinis saugumas", "ئاسایشی سایبەری"),
                        opt(
                            "data",
                            "Data systems and interoperability",
                            "أنظمة البيانات وتكاملها",
                            "Duomenų sistemos ir sąveikumas",
                            "سیستەمی داتا و پێکەوەکارکردن",
                        ),
                    ],
                ),
            ],
        },
        {
            "title": t("Staff skills", "مهارات الموظفين", "Darbuotojų įgūdžiai", "کارامەیی کارمەندان"),
            "questions": [
                q(
                    "staff_skills",
                    "skills",
                    t(
                        "Which skills do your staff most need, and at what level (1 basic – 5 expert)?",
                        "ما المهارات التي يحتاجها موظفوكم أكثر، وبأي مستوى (1 أساسي – 5 خبير)؟",
                        "Kokių įgūdžių labiausiai reikia jūsų darbuotojams ir kokio lygio (1 pradinis – 5 ekspertas)?",
                        "کارمەندەکانتان زیاتر پێویستیان بە چ کارامەییەکە، و بە چ ئاستێک (1 سەرەتایی – 5 شارەزا)؟",
                    ),
                    required=True,
                    skill_purpose="needed",
                ),
                q(
                    "staff_trained",
                    "number",
                    t(
                        "How many staff took part in digital-skills training in the last 12 months?",
                        "كم موظفاً شارك في تدريب على المهارات الرقمية خلال الأشهر الاثني عشر الماضية؟",
                        "Kiek darbuotojų per pastaruosius 12 mėnesių dalyvavo skaitmeninių įgūdžių mokymuose?",
                        "لە 12 مانگی ڕابردوودا چەند کارمەند بەشداری ڕاهێنانی کارامەیی دیجیتاڵیان کردووە؟",
                    ),
                    settings={"min": 0, "max": 100000},
                ),
            ],
        },
        {
            "title": t(
                "Priorities and constraints", "الأولويات والقيود", "Prioritetai ir kliūtys", "ئەولەویەت و ئاستەنگەکان"
            ),
            "questions": [
                q(
                    "priority_online",
                    "scale",
                    t(
                        "Priority: bringing services to citizens online",
                        "الأولوية: تقديم الخدمات للمواطنين عبر الإنترنت",
                        "Prioritetas: paslaugų piliečiams perkėlimas į internetą",
                        "ئەولەویەت: پێشکەشکردنی خزمەتگوزاری بە هاووڵاتیان بە ئۆنلاین",
                    ),
                    required=True,
                    settings=SCALE_PRIORITY,
                ),
                q(
                    "priority_data",
                    "scale",
                    t(
                        "Priority: labour-market data and analysis",
                        "الأولوية: بيانات سوق العمل وتحليلها",
                        "Prioritetas: darbo rinkos duomenys ir analizė",
                        "ئەولەویەت: داتا و شیکاری بازاڕی کار",
                    ),
                    required=True,
                    settings=SCALE_PRIORITY,
                ),
                q(
                    "priority_training",
                    "scale",
                    t(
                        "Priority: training staff in digital skills",
                        "الأولوية: تدريب الموظفين على المهارات الرقمية",
                        "Prioritetas: darbuotojų skaitmeninių įgūdžių mokymas",
                        "ئەولەویەت: ڕاهێنانی کارمەندان لە کارامەیی دیجیتاڵیدا",
                    ),
                    required=True,
                    settings=SCALE_PRIORITY,
                ),
                q(
                    "priority_infrastructure",
                    "scale",
                    t(
                        "Priority: modernising IT infrastructure",
                        "الأولوية: تحديث البنية التحتية لتكنولوجيا المعلومات",
                        "Prioritetas: IT infrastruktūros modernizavimas",
                        "ئەولەویەت: نوێکردنەوەی ژێرخانی IT",
                    ),
                    required=True,
                    settings=SCALE_PRIORITY,
                ),
                q(
                    "constraints",
                    "long_text",
                    t(
                        "What holds back modernisation in your institution (budget, procurement, rules, staffing…)?",
                        "ما الذي يعيق التحديث في مؤسستكم (الميزانية، المشتريات، الأنظمة، الكوادر…)؟",
                        "Kas stabdo modernizavimą jūsų institucijoje (biudžetas, pirkimai, taisyklės, darbuotojai…)?",
                        "چی ڕێگرە لە نوێکردنەوە لە دامەزراوەکەتان (بودجە، کڕین، یاسا و ڕێسا، کارمەندان…)؟",
                    ),
                    required=True,
                ),
                q(
                    "support_wanted",
                    "long_text",
                    t(
                        "Which support from the programme would help your institution most?",
                        "ما الدعم من البرنامج الذي سيفيد مؤسستكم أكثر؟",
                        "Kokia programos parama jūsų institucijai labiausiai padėtų?",
                        "چ پشتگیرییەکی بەرنامەکە زیاتر سوود بە دامەزراوەکەتان دەگەیەنێت؟",
                    ),
                ),
            ],
        },
    ],
}

TEMPLATES: dict[str, dict[str, Any]] = {
    "ict_curriculum_review": ICT_CURRICULUM_REVIEW,
    "institutional_capacity": INSTITUTIONAL_CAPACITY,
}


def template_choices(language: str) -> list[tuple[str, str]]:
    """(key, title in `language`) of every shipped template, for the builder's "create from template"."""
    return [(key, body["title"].get(language) or body["title"]["en"]) for key, body in TEMPLATES.items()]


def template_body(key: str) -> dict[str, Any] | None:
    """A fresh copy of the template's questionnaire body (callers may change it), or None for an unknown key."""
    body = TEMPLATES.get(key)
    return copy.deepcopy(body) if body is not None else None
