from aznews.textnorm import clean_paragraphs, fold, repair, text_sha1


def test_turkic_fold():
    assert fold("İSTANBUL") == "istanbul"
    assert fold("IĞDIR") == "ığdır"
    assert fold("ŞƏKİ") == "şəki"
    assert "İ".lower() != fold("İ")  # what Python gets wrong


def test_repair_mojibake_and_invisibles():
    assert repair("AzÉ™rbaycan\u200b xÉ™bÉ™r") == "Azərbaycan xəbər"
    assert repair("Gu\u0308nün") == "Günün"  # NFC
    assert repair("a\x00b\u00adc\ufeff") == "abc"


def test_paragraphs_and_hash():
    assert clean_paragraphs(["  bir   iki ", "", "üç"]) == "bir iki\n\nüç"
    assert text_sha1("BAKI şəhəri.") == text_sha1("bakı  Şəhəri")


def test_repair_mends_mojibake_beside_correct_text():
    # ftfy alone leaves this line as is because it also holds correct "ə"
    assert repair("GÉ™ncÉ™ ÅŸÉ™hÉ™rindÉ™ki XVII əsrə aid") == "Gəncə şəhərindəki XVII əsrə aid"
    assert repair("Émile Zola") == "Émile Zola"
