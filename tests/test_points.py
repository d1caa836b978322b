"""Specific points within a topic ("is it a cure", "how long till i can drive", "will i lose my hair").

A fourth stranger (2026-12-01) judged 28 of 60 first answers "partly right": the right topic, the
point asked missing. Each point is a short sourced text of its entry in the knowledge file.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions.actions import SHORT_MESSAGE_WORDS, ActionAnswerFaq
from actions.answers import intent_for_entry
from actions.knowledge import KnowledgeError, parse_knowledge
from actions.points import points_asked
from tests.test_knowledge import PATH, mutate

POINT = {
    "asked": ["is it a cure"],
    "text": "No one can promise a cure.",
    "sources": [{"title": "A paper", "publisher": "A journal", "year": 2024, "url": "https://doi.org/10.1/x"}],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("is it a cure tho. like will my ms be gone for good after", ["effectiveness.cure"]),
        # An eighth stranger's questions (2026-12-02).
        (
            "this is going in circles. just tell me the age limit for beat-ms",
            ["eligibility.age", "clinical_trials.beat_ms"],
        ),
        ("What exactly did the MIST trial show, and how many patients?", ["vs_dmts.mist"]),
        ("My period stopped after the treatment. It will come back?", ["fertility.periods"]),
        (
            "Actual numbers for progressive patients in the UK study?",
            ["progressive_ms.numbers", "uk_study.progressive"],
        ),
        ("so tired i can barely shower", ["side_effects.tiredness"]),
        ("ok but is there ANY randomised trial or is it all observational", ["clinical_trials.randomised"]),
        ("a clinic in india says 100% success. is it safe for her?", ["unproven_clinics.promises"]),
        ("I had AHSCT 2 years ago, can I get pregnant now?", ["fertility.pregnancy_after"]),
        ("how long till i can drive after the transplant", ["hospital_stay.driving"]),
        ("when could i go back to my office job", ["hospital_stay.work"]),
        ("do i have to redo all my vaccines after? like childhood jabs", ["infections.vaccines"]),
        ("i heard about shingles and some virus called cmv", ["infections.viruses"]),
        ("how long is the hospital stay and will i lose my hair", ["side_effects.hair"]),
        ("does the mobilisation hurt?", ["procedure.pain"]),
        ("my neuro wont refer me, is it ok to get a second opinion", ["talk_to_neurologist.second_opinion"]),
        ("why isnt the fda approving it if it works so good??", ["fda_status.why_not"]),
        ("My insurance DENIED it", ["cost.denied"]),
        ("does hsct reverse disability? will i walk better after", ["effectiveness.disability"]),
        ("im 52, am i too old for it", ["eligibility.age"]),
        ("which charities have trustworthy pages on it, not facebook", ["information_sources.where_to_read"]),
        # A sixth stranger's follow-ups (2026-12-02).
        ("whats the number to call tho, i dont think we have it", ["warning_signs.number"]),
        ("so should i skip the dmts and go straight to hsct?", ["vs_dmts.drug_first"]),
        ("he wants to go back to uni in january, is that realistic?", ["hospital_stay.work"]),
        ("the doctor say first he try ocrelizumab. is correct?", ["vs_dmts.drug_first"]),
        # A seventh stranger's (2026-12-02).
        ("doctor saying 95% success. it is true?", ["effectiveness.success_rate"]),
        ("what tests would they do before", ["procedure.tests"]),
        ("and how long does the whole thing take", ["hospital_stay.whole_treatment"]),
        # An eleventh stranger's (2026-12-02).
        ("Where does 89% at 4 years come from?", ["effectiveness.conference_figure"]),
        ("Could she have AHSCT as her first treatment?", ["eligibility.first_treatment"]),
        ("Did the MESEMS mesenchymal stem cell trial show any benefit?", ["unproven_clinics.mesems"]),
        ("What did the Ottawa trial find? I heard someone died in it.", ["clinical_trials.canadian"]),
        ("is there an australian place that tracks people who had it? a registry?", ["access.registry"]),
        ("is there actually a centre in scotland that does it now?", ["access.scotland"]),
        # A twelfth stranger's (2026-12-02).
        ("Is it lower for a young girl who walks fine?", ["mortality.lower_risk"]),
        ("same answer again, brilliant. when do the star-ms results come out", ["clinical_trials.star_ms"]),
        # A thirteenth stranger's (2026-12-02).
        ("Which conditioning regimen is safer, BEAM/ATG or Cy/ATG?", ["chemotherapy.compare"]),
        ("it is registered in clinicaltrials.gov so it is safe. Is true?", ["unproven_clinics.listing"]),
        # A fourteenth stranger's (2026-12-02).
        ("a clinic in mexico told us 90% success in progressive MS, is that true?", ["progressive_ms.claims"]),
        # A fifteenth stranger's (2026-12-03).
        (
            "1 or 2 in 100 is a lot when youre the one. im 31, walking is fine. is the risk the same for someone like me",
            ["mortality.lower_risk"],
        ),
        ("how long has hsct been used for ms", ["what_is_ahsct.history"]),
        (
            "also his legs seem weaker than before the transplant, is that normal or is it not working",
            ["side_effects.worse_for_a_while"],
        ),
        # A sixteenth stranger's (2026-12-03).
        (
            "But specifically the NHS? Is there anywhere in England that looks at progressive patients?",
            ["progressive_ms.nhs"],
        ),
        ("if its not fda approved is it even legal for a us hospital to do it?", ["fda_status.legal"]),
        ("If he does go, who looks after him when he gets back to Manchester?", ["treatment_abroad.aftercare"]),
        ("does long covid make ms worse? i had covid last winter", []),
        ("how common is the thyroid thing tho", ["side_effects.thyroid"]),
        ("which hospitals in melbourne exactly?", ["access.hospitals"]),
        # A seventeenth stranger's (2026-12-03).
        ("and the leg weakness? is that normal after it", ["side_effects.worse_for_a_while"]),
        ("what exactly are anthems rules tho? like what age and edss", ["cost.anthem"]),
        (
            "the mexico one says they take people up to edss 7 no age limit. im 58 edss 6.5. so they would take me right",
            ["treatment_abroad.outside_criteria"],
        ),
        # Words inside other words, or another sense of the word, ask nothing.
        # A twentieth stranger's (2026-12-03).
        ("can i get it on the nhs anywhere near leeds", ["access.england_centres"]),
        ("is it like cancer chemo, will i lose my hair", ["chemotherapy.like_cancer_chemo", "side_effects.hair"]),
        ("when is it safe to fly home after?", ["treatment_abroad.flying"]),
        ("can she freeze her eggs before", ["fertility.eggs"]),
        # A twenty-second stranger's (2026-12-03).
        ("what should i ask them before i pay", ["treatment_abroad.before_paying"]),
        ("if i come back to florida after, what if i get a fever at home", ["warning_signs.fever_far_from_team"]),
        ("mostly in a wheelchair now. Clinica in Puebla Mexico accepted me", ["treatment_abroad.outside_criteria"]),
        # A twenty-third stranger's (2026-12-03).
        (
            "Some hospital in Bangalore and one in Bangkok are offering HSCT. How to know if they are good?",
            ["treatment_abroad.before_paying"],
        ),
        (
            "is it the same treatment as what they do in canada? the mexican place does it outpatient",
            ["treatment_abroad.outpatient"],
        ),
        ("also does he need to freeze sperm first", ["fertility.sperm"]),
        ("is hsct the same as a bone marrow transplant", []),
        # A twenty-fourth stranger's (2026-12-03).
        (
            "thats a lot higher than i thought. is it higher for people like her who are more disabled",
            ["mortality.lower_risk"],
        ),
        ("what does best available therapy mean in that trial", ["clinical_trials.best_available"]),
        ("how long after the transplant should we wait before trying", ["fertility.wait_time"]),
        ("last q - when will we know results from these trials", ["clinical_trials.results_when"]),
        # A twenty-fifth stranger's (2026-12-03): cancer risk, not cancer chemotherapy.
        ("what are the long term risks, like cancer?", ["side_effects.cancer"]),
        ("is it like cancer treatment", ["chemotherapy.like_cancer_chemo"]),
        # A twenty-sixth stranger's (2026-12-03).
        ("should i wait to try ahsct until ocrevus fails", []),
        ("what about him, does it affect men too", ["fertility.sperm"]),
        ("Is HSCT something they do for teenagers? my daughter is 17", ["eligibility.teenagers"]),
        ("whats the RAM-MS trial", ["clinical_trials.ram_ms"]),
        ("Can HSCT be used first, before the drugs?", ["eligibility.first_treatment"]),
        ("which is better, hsct or ocrevus", []),
        ("what is the chair height", []),
        ("a centre about four hours' drive from home", []),
        ("is it safe", []),
        # A twenty-eighth stranger's (2026-12-03), and messages review 31 said the new words must not catch.
        ("would it bring back the sight in his eye?", ["effectiveness.sight"]),
        ("I can only manage about 10 metres with the walker. Does that rule me out?", ["eligibility.walking"]),
        ("Will I need a wheelchair after HSCT?", []),
        ("3 weeks after the transplant I get breathless after 10 metres", []),
        (
            "does the centre matter? are death rates worse at the private clinics abroad than at NHS centres?",
            ["treatment_abroad.centre_matters", "access.england_centres"],
        ),
        ("are death rates worse for people over 50?", []),
        ("the brochure says only 5 deaths out of 271. is that right?", ["effectiveness.conference_figure"]),
        (
            "Show me the randomised evidence. As far as I know there's one trial, by Burt",
            ["clinical_trials.randomised"],
        ),
        ("is there only one trial I could join in Australia?", []),
        ("3 weeks after HSCT he has blurred vision back pain and a fever", []),
        # A twenty-ninth stranger's (2026-12-03), and what review 33 said must not be caught.
        ("And 89% relapse free at 4 years, that's the headline figure right?", ["effectiveness.conference_figure"]),
        ("his oxygen is 89% two weeks after the transplant", []),
        ("did it fail?? i gave up so much for this", ["effectiveness.failed"]),
        ("we went head to head with the insurer about it", []),
        (
            "no i meant the waiting list, how long til he gets a slot? and which hospital would leeds send him to",
            ["access.waiting_list", "access.hospitals", "access.england_centres"],
        ),
        ("how long is the hospital stay", []),
        ("How long would I wait before trying for a baby after AHSCT?", ["fertility.wait_time"]),
        (
            "MIST compared it to older drugs though, right? so has anyone compared it head to head with lemtrada?",
            ["vs_dmts.mist", "clinical_trials.randomised"],
        ),
        (
            "now she had a new lesion on her mri last month. does that mean it failed?? can she have it again",
            ["effectiveness.failed", "effectiveness.second"],
        ),
        ("is HSCT safe for a guy of 50?", []),
    ],
)
def test_the_point_asked_is_found(knowledge, text, expected):
    assert [f"{p.entry.id}.{p.id}" for p in points_asked(knowledge, text)] == expected


@given(st.text(max_size=300))
def test_any_text_finds_known_points_only(knowledge, text):
    for point in points_asked(knowledge, text):
        assert point.key in point.entry.parts and point.id in point.entry.points


def test_every_point_is_sourced_and_fits_a_phone(knowledge):
    from actions.answers import point_reply
    from tests.test_actions import PHONE_MAX_CHARS, as_displayed

    points = [(e, p) for e in knowledge.entries.values() for p in e.points]
    assert len(points) >= 12
    for entry_id, point_id in ((e.id, p) for e, p in points):
        (point,) = [p for p in points_asked(knowledge, knowledge.entries[entry_id].points[point_id][0])]
        assert point.part.sources, point_id
        reply = point_reply(knowledge, point)
        assert len(as_displayed(reply.text)) <= PHONE_MAX_CHARS, point_id
        # The topic's general answer is the first button: the point never hides the topic.
        assert reply.buttons[0]["payload"] == "/" + intent_for_entry(entry_id)


def test_a_point_needs_words_that_ask_it():
    entry_points = {"cure": {key: value for key, value in POINT.items() if key != "asked"}}
    with pytest.raises(KnowledgeError) as info:
        parse_knowledge(mutate(["entries", 0, "points"], entry_points), PATH)
    assert any("points" in p and "asked" in p for p in info.value.problems)


def test_words_ask_one_point_only():
    data = mutate(["entries", 0, "points"], {"cure": POINT})
    data["entries"][1]["points"] = {"also_cure": POINT}
    with pytest.raises(KnowledgeError) as info:
        parse_knowledge(data, PATH)
    assert any("'is it a cure' already asks alpha.cure" in p for p in info.value.problems)


def test_a_valid_point_is_a_part_of_its_entry():
    knowledge = parse_knowledge(mutate(["entries", 0, "points"], {"cure": POINT}), PATH)
    entry = knowledge.entries["alpha"]
    assert entry.points == {"cure": ("is it a cure",)}
    assert entry.parts["point.cure"].text == "No one can promise a cure."


# --- what the person sees ------------------------------------------------------------------------


async def answer(dispatcher, tracker_for, domain, intent, text, slots=None, ranking=None):
    tracker = tracker_for(intent, text=text, slots=slots or {}, ranking=ranking)
    events = await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages if m.get("text")]
    return texts, dispatcher.messages[-1].get("buttons") or [], events


async def test_a_short_question_about_a_point_gets_the_point_first(knowledge, dispatcher, tracker_for, domain):
    texts, buttons, events = await answer(
        dispatcher, tracker_for, domain, "faq_hospital_stay", "how long till i can drive after the transplant"
    )
    entry = knowledge.entries["hospital_stay"]
    assert texts[-1].startswith(entry.parts["point.driving"].text)
    assert entry.answer not in "\n".join(texts)
    assert buttons[0]["title"] == entry.question
    answered = next(e["value"] for e in events if e.get("name") == "answered")
    assert any(key.endswith("hospital_stay:point.driving") for key in answered)


async def test_the_point_is_not_repeated_and_the_topic_then_answers(knowledge, dispatcher, tracker_for, domain):
    entry = knowledge.entries["effectiveness"]
    text = "is it a cure"
    _, _, events = await answer(dispatcher, tracker_for, domain, "faq_effectiveness", text)
    answered = next(e["value"] for e in events if e.get("name") == "answered")
    dispatcher.messages.clear()
    texts, _, _ = await answer(dispatcher, tracker_for, domain, "faq_effectiveness", text, {"answered": answered})
    assert entry.parts["point.cure"].text not in "\n".join(texts)
    assert texts[-1].startswith(entry.answer)


async def test_a_long_message_gets_the_topic_then_the_point(knowledge, dispatcher, tracker_for, domain):
    text = (
        "I'm a performer and honestly losing my hair scares me more than it probably should. I also want "
        "to know about fatigue, because my job is physical. What side effects should I expect from HSCT?"
    )
    assert len(text.split()) > SHORT_MESSAGE_WORDS
    texts, buttons, _ = await answer(dispatcher, tracker_for, domain, "faq_side_effects", text)
    entry = knowledge.entries["side_effects"]
    assert texts[-2].startswith(entry.answer) and texts[-1].startswith(entry.parts["point.hair"].text)
    assert buttons  # the follow-ups come under the last bubble


async def test_a_second_question_about_another_topics_point_is_answered_under_the_first(
    knowledge, dispatcher, tracker_for, domain
):
    """ "how long is the hospital stay and will i lose my hair" answered the stay only."""
    ranking = [{"name": "faq_hospital_stay", "confidence": 0.6}, {"name": "faq_side_effects", "confidence": 0.3}]
    texts, _, _ = await answer(
        dispatcher,
        tracker_for,
        domain,
        "faq_hospital_stay",
        "how long is the hospital stay and will i lose my hair",
        ranking=ranking,
    )
    assert texts[-2].startswith(knowledge.entries["hospital_stay"].answer)
    assert texts[-1].startswith(knowledge.entries["side_effects"].parts["point.hair"].text)


async def test_a_word_of_another_topic_alone_adds_nothing(knowledge, dispatcher, tracker_for, domain):
    """'a first hospital visit to collect stem cells' is about the procedure, not visiting rules."""
    ranking = [{"name": "faq_procedure", "confidence": 0.9}]
    text = "there's a first hospital visit to collect stem cells, what happens then"
    texts, _, _ = await answer(dispatcher, tracker_for, domain, "faq_procedure", text, ranking=ranking)
    assert knowledge.entries["hospital_stay"].parts["point.visiting"].text not in "\n".join(texts)


@pytest.mark.parametrize(
    ("last_topic", "text", "point"),
    [
        ("hospital_stay", "i have a cold, can i visit her", "point.visiting"),
        (None, "i have a cold, can i visit her", None),  # no topic yet: unrelated
        ("cost", "i have a cold, can i visit her", None),  # a point of another topic: unrelated
        ("hospital_stay", "i have a cold, what should i take", None),  # no point asked
        ("side_effects", "when do i restart my vaccines", "point.vaccines"),  # infections is related
    ],
)
async def test_an_unrelated_reading_of_a_point_of_the_topic_just_answered_gets_the_point(
    knowledge, dispatcher, tracker_for, domain, last_topic, text, point
):
    """A fourth stranger's 'i have a cold, can i visit her' after the hospital stay was declined."""
    from actions.messages import OUT_OF_SCOPE_TEXT
    from actions.support import ActionOutOfScope

    tracker = tracker_for("out_of_scope", text=text, slots={"last_topic": last_topic})
    events = await ActionOutOfScope().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    if point is None:
        assert message["text"] == OUT_OF_SCOPE_TEXT and events == []
        return
    part = next(e.parts[point] for e in knowledge.entries.values() if point in e.parts)
    assert message["text"].startswith(part.text)
    assert events[0]["name"] == "answered" and events[0]["value"][-1].endswith(point)
    # Asked again: the point is not repeated as if new; the boundary is said instead.
    again = tracker_for("out_of_scope", text=text, slots={"last_topic": last_topic, "answered": events[0]["value"]})
    dispatcher.messages.clear()
    await ActionOutOfScope().run(dispatcher, again, domain)
    assert [m["text"] for m in dispatcher.messages] == [OUT_OF_SCOPE_TEXT]


@pytest.mark.parametrize(
    ("confidence", "last_topic", "gets_point"),
    [(0.58, "warning_signs", True), (0.58, "cost", False), (0.58, None, False), (0.9, "warning_signs", False)],
)
async def test_an_unsure_topic_gives_way_to_a_point_of_the_last_topic_the_message_asks(
    knowledge, dispatcher, tracker_for, domain, confidence, last_topic, gets_point
):
    """'he wants to go back to uni in january, is that realistic?' after the warning signs got the
    advice on going abroad (faq_treatment_abroad 0.58; a sixth stranger). The hospital stay, related to
    the warning signs, has the back-to-work point; an unrelated last topic, no last topic or a sure
    classifier keep the topic."""
    text = "he wants to go back to uni in january, is that realistic?"
    ranking = [{"name": "faq_treatment_abroad", "confidence": confidence}]
    texts, _, _ = await answer(
        dispatcher, tracker_for, domain, "faq_treatment_abroad", text, {"last_topic": last_topic}, ranking
    )
    point = knowledge.entries["hospital_stay"].parts["point.work"].text
    abroad = knowledge.entries["treatment_abroad"].answer
    assert any(t.startswith(point) for t in texts) is gets_point
    assert any(t.startswith(abroad[:60]) for t in texts) is not gets_point


async def test_not_sure_gives_way_to_a_point_of_the_last_topic(knowledge, dispatcher, tracker_for, domain):
    """A ninth stranger (2026-12-02): "Could I have a second one?" after how well AHSCT works got "not
    sure"."""
    from actions.actions import ActionNotSure

    text = "Could I have a second one?"
    tracker = tracker_for("nlu_fallback", text=text, slots={"last_topic": "effectiveness"})
    await ActionNotSure().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"].startswith(knowledge.entries["effectiveness"].parts["point.second"].text)


async def test_not_sure_with_one_point_asked_gets_that_point(knowledge, dispatcher, tracker_for, domain):
    """A tenth stranger (2026-12-02): "why you say no?? it is cure for ms or not" got "Sorry, I got that
    wrong" after the clinics answer, whose related topics do not include how well AHSCT works."""
    from actions.actions import ActionNotSure

    text = "why you say no?? it is cure for ms or not"
    tracker = tracker_for("nlu_fallback", text=text, slots={"last_topic": "unproven_clinics"})
    await ActionNotSure().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert any(t.startswith(knowledge.entries["effectiveness"].parts["point.cure"].text) for t in texts), texts
    # Two points asked, or none: "not sure" as before.
    dispatcher.messages.clear()
    tracker = tracker_for("nlu_fallback", text="cure? and will i lose my hair", slots={"last_topic": "fda_status"})
    await ActionNotSure().run(dispatcher, tracker, domain)
    assert not any(
        m["text"].startswith(knowledge.entries["effectiveness"].parts["point.cure"].text) for m in dispatcher.messages
    )
