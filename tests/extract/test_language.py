from aznews.extract.language import SAMPLE_CHARS, LanguageIdentifier, lid_sample

AZ = "Bu gün Bakıda hava yağışlı olacaq, sinoptiklər sürücüləri yollarda ehtiyatlı olmağa çağırıb."
TR = "Bugün İstanbul'da hava yağmurlu olacak, meteoroloji sürücüleri yollarda dikkatli olmaya çağırdı."
RU = "Сегодня в Баку ожидается дождливая погода, синоптики призвали водителей к осторожности."
AZ_CYRL = "Бу ҝүн Бакыда һава јағышлы олачаг, синоптикләр сүрүҹүләри еһтијатлы олмаға чағырыб."


def test_language_id_separates_close_languages():
    lid = LanguageIdentifier()
    assert lid.identify(AZ)[0] == "az"
    assert lid.identify(TR)[0] == "tr"
    assert lid.identify(RU)[0] == "ru"
    assert lid.identify(AZ_CYRL)[0] == "az-Cyrl"
    assert lid.identify(" \n\t ") == ("und", 0.0)


def test_short_text_is_read_whole():
    text = f"{AZ}\n\n{AZ}"
    assert lid_sample(text) == f"{AZ} {AZ}"


def test_long_text_is_sampled_from_start_middle_and_end_in_whole_words():
    words = [f"söz{i}" for i in range(3_000)]
    sample = lid_sample("\n".join(words))
    assert len(sample) <= SAMPLE_CHARS + 2
    got = sample.split(" ")
    assert set(got) <= set(words)  # no word cut in half
    assert got[0] == "söz0" and got[-1] == "söz2999"
    assert any(1_000 < int(w.removeprefix("söz")) < 2_000 for w in got)  # and from the middle


def test_one_giant_word_is_still_sampled():
    assert lid_sample("ə" * 10_000) == " ".join(["ə" * (SAMPLE_CHARS // 3)] * 3)


def test_a_long_text_is_labelled_from_its_sample():
    lid = LanguageIdentifier()
    for sentence, language in ((AZ, "az"), (TR, "tr"), (RU, "ru")):
        text = " ".join(f"{i}. {sentence}" for i in range(60))
        assert len(text) > 3 * SAMPLE_CHARS
        assert lid.identify(text)[0] == language
