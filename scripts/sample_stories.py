"""Original Azerbaijani news stories for the bundled sample (written for aznews; all fictional).

No text here is copied from a real article. Each story is a dict: title, paragraphs, and the
metadata its page shows. Names of people are invented.
"""

METRO = {
    "title": "Bakıda yeni metro stansiyasının tikintisi yekun mərhələyə çatıb",
    "category": "Cəmiyyət",
    "author": "Aynur Məmmədova",
    "tags": ["metro", "Bakı", "nəqliyyat"],
    "paragraphs": [
        "Bakı metropoliteninin Bənövşəyi xətti üzrə inşa edilən yeni stansiyanın tikintisi yekun mərhələyə çatıb.",
        "Metropolitendən bildirilib ki, hazırda stansiyanın vestibülündə üzlük işləri aparılır, eskalatorların quraşdırılması isə bu ayın sonunadək başa çatdırılacaq. Stansiyanın gündə təxminən qırx min sərnişinə xidmət göstərəcəyi gözlənilir.",
        "Layihəyə görə, yeni stansiya iki çıxışa malik olacaq və onlardan biri yaxınlıqdakı ictimai nəqliyyat dayanacağı ilə birbaşa birləşdiriləcək. Mühəndislər qeyd edirlər ki, tunel hissəsində bütün sınaq işləri uğurla başa çatıb.",
        "Sərnişinlərin rahatlığı üçün stansiyada liftlər, taktil yollar və məlumat lövhələri quraşdırılır. Bundan əlavə, platformada havalandırma sisteminin yenilənmiş variantından istifadə olunacaq.",
        "Qeyd edək ki, stansiyanın gələn ilin yazında istismara verilməsi planlaşdırılır.",
    ],
}

RATE = {
    "title": "Mərkəzi Bank uçot dərəcəsini dəyişməz saxlayıb",
    "category": "İqtisadiyyat",
    "author": "Elvin Qasımov",
    "tags": ["Mərkəzi Bank", "uçot dərəcəsi"],
    "paragraphs": [
        "Azərbaycan Mərkəzi Bankının İdarə Heyəti uçot dərəcəsini 7 faiz səviyyəsində saxlamaq barədə qərar qəbul edib.",
        "Bankın açıqlamasında deyilir ki, qərar verilərkən inflyasiyanın son aylardakı dinamikası, xarici ticarət balansı və qlobal əmtəə bazarlarındakı qiymət dəyişiklikləri nəzərə alınıb. İllik inflyasiya oktyabr ayında hədəf diapazonu daxilində qalıb.",
        "Faiz dəhlizinin parametrləri də dəyişməyib: dəhlizin alt həddi 6 faiz, yuxarı həddi isə 8 faiz olaraq qalır. Mərkəzi Bank bildirib ki, növbəti qərar qəbul olunarkən makroiqtisadi göstəricilərin təhlili davam etdiriləcək.",
        "Ekspertlər hesab edirlər ki, yaxın aylarda manatın məzənnəsində ciddi dəyişiklik gözlənilmir və pul siyasəti ehtiyatlı xarakterini saxlayacaq.",
        "Uçot dərəcəsi ilə bağlı növbəti qərar yanvar ayında açıqlanacaq.",
    ],
}

WIND = {
    "title": "Sabah Bakıda güclü külək əsəcək",
    "category": "Cəmiyyət",
    "author": None,
    "tags": ["hava"],
    "paragraphs": [
        "Sabah Bakıda və Abşeron yarımadasında güclü şimal-qərb küləyi əsəcəyi gözlənilir.",
        "Ekologiya və Təbii Sərvətlər Nazirliyinin Milli Hidrometeorologiya Xidmətindən bildirilib ki, küləyin sürəti bəzi vaxtlarda saniyədə 20 metrə qədər güclənəcək. Hava əsasən buludlu olacaq, gecə və səhər saatlarında bəzi yerlərdə çiskin yağacağı ehtimalı var.",
        "Gecə havanın temperaturu 6-8, gündüz isə 10-12 dərəcə isti olacaq. Atmosfer təzyiqinin normadan yüksək olacağı bildirilir.",
        "Sinoptiklər sürücüləri yollarda ehtiyatlı olmağa, sakinləri isə yüngül konstruksiyalı tikililərdən və reklam lövhələrindən uzaq durmağa çağırıblar.",
    ],
}

PLANE_TREE = {
    "title": "Gəncədə 120 yaşlı çinar ağacı qorunma altına alınıb",
    "category": "Regionlar",
    "author": "Fərid Hüseynli",
    "tags": ["Gəncə", "təbiət"],
    "paragraphs": [
        "Gəncə şəhərinin mərkəzində yerləşən 120 yaşlı çinar ağacı təbiət abidəsi kimi qorunma altına alınıb.",
        "Şəhər icra hakimiyyətindən verilən məlumata görə, ağacın ətrafında mühafizə zolağı yaradılacaq, gövdəsinin və köklərinin vəziyyəti mütəmadi olaraq mütəxəssislər tərəfindən yoxlanılacaq.",
        "Yerli sakinlər bildirirlər ki, çinarın kölgəsi uzun illərdir şəhər sakinlərinin sevimli görüş yeridir. Ağacın yanında məlumat lövhəsinin quraşdırılması da planlaşdırılır.",
        "Ekoloqların sözlərinə görə, bu cür qədim ağacların qorunması şəhər mühitində biomüxtəlifliyin saxlanmasına kömək edir.",
    ],
}

FOOTBALL = {
    "title": "Azərbaycan millisi Macarıstanla yoxlama oyunu keçirəcək",
    "title_tag": "FOTO",
    "category": "İdman",
    "author": "Tural Əliyev",
    "tags": ["futbol", "milli komanda"],
    "paragraphs": [
        "Azərbaycan milli komandası Macarıstan yığması ilə yoxlama oyunu keçirəcək.",
        "AFFA-dan verilən məlumata görə, görüş martın 24-də Budapeştdə baş tutacaq. Baş məşqçi oyun üçün 26 futbolçunu heyətə cəlb edib, onlardan dördü milli komandaya ilk dəfə çağırılıb.",
        "Komanda toplanışa martın 18-də Bakıda başlayacaq və martın 22-də Budapeştə yola düşəcək. Oyun ərəfəsində millimizin iki məşqi açıq keçiriləcək.",
        "Qeyd edək ki, iki komanda arasında indiyədək keçirilən dörd oyunun üçündə Macarıstan qalib gəlib, bir görüş isə heç-heçə başa çatıb.",
    ],
}

CARDS = {
    "title": "Bank kartları ilə ödənişlərin həcmi 18 faiz artıb",
    "category": "Bank",
    "author": None,
    "tags": ["bank kartları", "rəqəmsal ödəniş"],
    "paragraphs": [
        "Bu ilin ilk on ayında Azərbaycanda bank kartları ilə aparılan nağdsız ödənişlərin həcmi ötən ilin eyni dövrü ilə müqayisədə 18 faiz artıb.",
        "Statistikaya görə, ödənişlərin böyük hissəsi ərzaq mağazalarında, aptek şəbəkələrində və onlayn xidmətlərdə həyata keçirilib. Kommunal xidmətlərin haqqının mobil tətbiqlər vasitəsilə ödənilməsi də əhəmiyyətli dərəcədə artıb.",
        "Banklar bildirir ki, temassız ödəniş imkanı olan kartların sayı ilbəil çoxalır. Bu isə nağd pula olan tələbatın azalmasına gətirib çıxarır.",
        "Mütəxəssislər hesab edirlər ki, regionlarda POS-terminalların sayının artırılması nağdsız ödənişlərin payını daha da yüksəldə bilər.",
    ],
}

SHEKI = {
    "title": "Şəkidə turist mövsümü uzadılıb",
    "category": "Turizm",
    "author": "Aynur Məmmədova",
    "tags": ["Şəki", "turizm"],
    "paragraphs": [
        "Şəkidə turist mövsümü bu il dekabrın ortasınadək uzadılıb.",
        "Dövlət Turizm Agentliyindən bildirilib ki, payız aylarında şəhərə gələn turistlərin sayı ötən illə müqayisədə nəzərəçarpacaq dərəcədə artıb. Bunun əsas səbəbi yeni açılan qonaq evləri və yol infrastrukturunun yaxşılaşdırılmasıdır.",
        "Xan sarayı və karvansaray kompleksi həftənin bütün günləri ziyarətçilərin üzünə açıq olacaq. Yerli sənətkarlar isə şəbəkə və kəlağayı emalatxanalarında ustad dərsləri keçirəcəklər.",
        "Agentlik turistlərə səfər öncəsi hava proqnozu ilə tanış olmağı və qonaq evlərində yerləri əvvəlcədən sifariş etməyi tövsiyə edir.",
    ],
}

# The same rate story told by another outlet in its own words: a different page, not a duplicate.
RATE_COMMENT = {
    "title": "Ekspert: Uçot dərəcəsinin saxlanması manata dəstəkdir",
    "title_tag": "ŞƏRH",
    "category": "İqtisadiyyat",
    "author": "Rüfət Kərimli",
    "tags": ["manat", "uçot dərəcəsi"],
    "paragraphs": [
        '"Mərkəzi Bankın qərarı gözlənilən idi və bazarda sabitliyin qorunmasına xidmət edir".',
        "Bunu Qaynarinfo-ya açıqlamasında iqtisadçı Samir Bayramov Mərkəzi Bankın uçot dərəcəsini dəyişməz saxlaması ilə bağlı fikirlərini bölüşərkən deyib.",
        "İqtisadçının sözlərinə görə, son aylarda idxal qiymətlərinin sabitləşməsi və neft gəlirlərinin proqnozlaşdırılan səviyyədə qalması tənzimləyiciyə ehtiyatlı mövqe tutmağa imkan verib:",
        '"Əgər dərəcə aşağı salınsaydı, kreditlər ucuzlaşardı, lakin bu, qısa müddətdə istehlak qiymətlərinə təzyiq yarada bilərdi. Hazırkı şəraitdə gözləmə mövqeyi daha məntiqlidir".',
        "Ekspert əlavə edib ki, gələn ilin əvvəlində büdcə xərclərinin artması ilə bağlı vəziyyət yenidən qiymətləndiriləcək.",
    ],
}

RUSSIAN = {
    "title": "В Баку завершается строительство новой станции метро",
    "category": "Общество",
    "paragraphs": [
        "Строительство новой станции на Фиолетовой линии Бакинского метрополитена вышло на завершающий этап.",
        "Как сообщили в метрополитене, в вестибюле станции ведутся отделочные работы, а монтаж эскалаторов завершится до конца месяца. Ожидается, что станция будет обслуживать около сорока тысяч пассажиров в день.",
        "Открыть станцию планируется весной следующего года.",
    ],
}

TURKISH = {
    "title": "İstanbul'da yarın kuvvetli rüzgar bekleniyor",
    "category": "Dünya",
    "paragraphs": [
        "Meteoroloji Genel Müdürlüğü, İstanbul ve Marmara Bölgesi için kuvvetli rüzgar uyarısında bulundu.",
        "Yapılan açıklamaya göre rüzgarın yarın öğle saatlerinden itibaren kuzey yönlerden saatte 60 kilometreye kadar ulaşması bekleniyor. Vatandaşların çatı uçması ve ağaç devrilmesi gibi olumsuzluklara karşı dikkatli olmaları istendi.",
        "Yetkililer, deniz ulaşımında aksamalar yaşanabileceğini ve vapur seferlerinin iptal edilebileceğini belirtti. Hava sıcaklığının ise hafta sonuna kadar mevsim normallerinin altında seyredeceği tahmin ediliyor.",
    ],
}

# Headlines for "most read" sidebars and the listing page (not stories of their own).
SIDEBAR = [
    ("Sumqayıtda yeni park istifadəyə verilib", "19 Noyabr 2026 12:05", 279),
    ("Neftin qiyməti bahalaşıb", "19 Noyabr 2026 14:18", 252),
    ("Qış mövsümündə qaz təchizatı necə olacaq? TƏHLİL", "20 Noyabr 2026 08:10", 222),
    ("Premyer Liqada 12-ci turun proqramı açıqlanıb", "18 Noyabr 2026 21:43", 207),
    ("Bakı-Qazax qatarının hərəkət cədvəli dəyişir RƏSMİ", "20 Noyabr 2026 07:23", 199),
    ("Məktəblilərin qış tətili nə vaxt başlayır?", "19 Noyabr 2026 16:40", 175),
]
