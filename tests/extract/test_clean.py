from aznews.extract.clean import clean_body, clean_title
from aznews.extract.decode import decode_html
from aznews.extract.language import LanguageIdentifier


def test_preamble_credit_and_boilerplate():
    paras = [
        "Qaynarinfo saytından alınan məlumata görə, Icma.az bildirir.",
        "Əsas mətn burada davam edir.",
        "Ən son yeniliklər və məlumatlar üçün Icma.az saytını izləyin, biz hadisənin gedişatını izləyirik.",
        "Baxış sayı:106",
        "Mənbə:https://qaynarinfo.az",
        "A-",
        "A+",
    ]
    out = clean_body(paras)
    assert out.paragraphs == ["Əsas mətn burada davam edir."]
    assert out.credits == ["Qaynarinfo", "https://qaynarinfo.az"]


def test_title_labels():
    assert clean_title("Tokayevin Ankara səfəri Rusiyanı niyə qıcıqlandırır? (ŞƏRH)") == (
        "Tokayevin Ankara səfəri Rusiyanı niyə qıcıqlandırır?",
        ["ŞƏRH"],
    )
    assert clean_title("Azərbaycanda uşaqlı ailələrə 500 manat pul veriləcək? RƏSMİ CAVAB") == (
        "Azərbaycanda uşaqlı ailələrə 500 manat pul veriləcək?",
        ["RƏSMİ", "CAVAB"],
    )
    assert clean_title("Alyaskada yoxa çıxan təyyarədən xəbər var - Oxu.az", ("Oxu.az",)) == (
        "Alyaskada yoxa çıxan təyyarədən xəbər var",
        [],
    )
    assert clean_title("FOTO") == ("FOTO", [])  # a title is never emptied


def test_lying_charset_header():
    body = "<html><meta charset='utf-8'><p>Azərbaycan xəbərləri</p></html>".encode()
    text, used = decode_html(body, "text/html; charset=ISO-8859-1")
    assert "Azərbaycan" in text and used == "utf-8"
    cp = "<p>Новости Азербайджана сегодня</p>".encode("cp1251")
    text, _ = decode_html(cp, "text/html; charset=windows-1251")
    assert "Новости" in text


def test_language_id_separates_close_languages():
    lid = LanguageIdentifier()
    az = "Bu gün Bakıda hava yağışlı olacaq, sinoptiklər sürücüləri yollarda ehtiyatlı olmağa çağırıb."
    tr = "Bugün İstanbul'da hava yağmurlu olacak, meteoroloji sürücüleri yollarda dikkatli olmaya çağırdı."
    ru = "Сегодня в Баку ожидается дождливая погода, синоптики призвали водителей к осторожности."
    az_cyrl = "Бу ҝүн Бакыда һава јағышлы олачаг, синоптикләр сүрүҹүләри еһтијатлы олмаға чағырыб."
    assert lid.identify(az)[0] == "az"
    assert lid.identify(tr)[0] == "tr"
    assert lid.identify(ru)[0] == "ru"
    assert lid.identify(az_cyrl)[0] == "az-Cyrl"
