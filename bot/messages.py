"""Declare every interface message the engine and actions send, by stable id.

Each `M(key, text)` is one gettext message: the key is the message context (the id trainers
and tests refer to), the text is the English source that translators translate.
"""
from bot.engine.reply import M, MP

# TRANSLATORS: the first message a person sees. Keep it short and calm.
WELCOME = M("welcome", "Hello, I am Amparo. I give short, checked information and contacts to people affected by a crisis, whatever their nationality or migration status.")
PRIVACY = MP(
    "privacy",
    "I keep what you tell me (language, nationality, location and the last messages) for {days} day, only to help you. Send /forget to erase it at any time.",
    "I keep what you tell me (language, nationality, location and the last messages) for {days} days, only to help you. Send /forget to erase it at any time.",
    "days",
)
MENU = M("menu", "What do you need? Choose below or write it in your own words.")
NOT_UNDERSTOOD = M("not_understood", "I am not sure I understood, and I prefer not to guess. Please choose one of the options below, or say it in other words.")
OUT_OF_SCOPE = M("out_of_scope", "I can only help with urgent needs during a crisis. This is what I can do:")
EMPTY = M("empty", "Your message was empty. Write what you need, or choose below.")
TOO_LONG = M("too_long", "Your message is very long; I read the beginning. If I missed something, send it in a shorter message.")
ASK_NATIONALITY = M("ask_nationality", "Which country are you a citizen of? Choose below or write the name of the country.")
NATIONALITY_UNKNOWN = M("nationality_unknown", "I did not recognise that country. Choose below or write its name, for example “Colombia”.")
NATIONALITY_OTHER = M("nationality_other", "Write the name of your country.")
NATIONALITY_SAVED = M("nationality_saved", "Noted: you are a citizen of {country}.")
ASK_LOCATION = M("ask_location", "Where are you now? Send your location with the button below, or write the name of your city.")
LOCATION_UNKNOWN = M("location_unknown", "I did not find that place. Send your location with the button, or write the city, for example “Portoviejo”.")
BAD_LOCATION = M("bad_location", "That location does not look right. Please send it again, or write the name of your city.")
GOODBYE = M("goodbye", "Take care. You can write to me again at any time.")
THANKS = M("thanks", "You are welcome. Write again whenever you need.")
DENY = M("deny", "All right. Is there anything else I can do?")
ASK_LANGUAGE = M("ask_language", "Choose your language.")
LANGUAGE_SET = M("language_set", "From now on I will write to you in English.")
BUTTON_EXPIRED = M("button_expired", "That button is no longer valid. Here is the menu again.")
MEMORY_DOWN = M("memory_down", "I cannot reach my memory right now, so I will not remember this conversation. Here is general information.")
NLU_DOWN = M("nlu_down", "I cannot read free text right now. Please use the buttons below.")
MORE_NONE = M("more_none", "There are no more details on this topic.")
FORGOTTEN = M("forgotten", "I have erased everything I kept about you.")
ASK_FORGET = M("ask_forget", "Erase everything I keep about you (language, nationality, location, messages)? This cannot be undone.")
FORGET_FAILED = M("forget_failed", "I could not erase your data right now. Please try /forget again in a few minutes.")
CANCELLED = M("cancelled", "Done, I dropped the open question.")
UNSUPPORTED = M("unsupported", "I can read only text, buttons and locations. Please write your message, or choose below.")
VOICE = M("voice", "I cannot listen to voice messages yet. Please write your message in a few words, or choose below.")
MEDIA = M("media", "I cannot look at photos, videos or files. Please write your message in a few words, or choose below.")
SLOW_DOWN = M("slow_down", "You are sending many messages very fast. Please wait a few seconds, then send your message again.")
PRIVATE_ONLY = M("private_only", "I help people in private chats. Open a private chat with me and write there.")
UNKNOWN_COMMAND = M("unknown_command", "I do not know that command. Here is what I can do:")

# Escalation to staff, as the person reads it
ESC_CONSENT = M("escalation.consent", "I can pass your case to {desk}. They will see your language, nationality, location and your last messages, and a person will answer you here. Do you agree?")
ESC_DECLINED = M("escalation.declined", "All right, I shared nothing. You can ask for a person at any time.")
CASE_OPENED = M("case.opened", "Your case {case} was sent to {desk}. A person will answer you here as soon as they can. In an emergency do not wait: call the emergency number.")
CASE_FORWARDED = M("case.forwarded", "Sent to {desk} (case {case}).")
CASE_FAILED = M("case.failed", "I could not create your case right now. Please try again in a few minutes; in an emergency call the emergency number.")
CASE_CLAIMED = M("case.claimed", "Your case {case} was taken by {desk}. You can write here: your messages reach them.")
CASE_CLOSED = M("case.closed", "Your case {case} was closed by {desk}. If you need more help, write to me again.")
STAFF_REPLY = M("case.staff_reply", "Message from {desk} (case {case}):\n{text}")
DESK_DEFAULT = M("desk.default", "the Amparo help desk")
BTN_HUMAN = M("button.human", "Talk to a person")
BTN_ESC_YES = M("button.escalate_yes", "Yes, send my case")
BTN_ESC_HUMANITARIAN = M("button.escalate_humanitarian", "Send it to a humanitarian organisation instead")

# Escalation, as staff read it (in the desk's language)
# TRANSLATORS: a case card in the staff group. {history} is the person's last messages.
STAFF_CARD = M("staff.card", "Case {case} · {urgency}\nLanguage of the person: {language}\nNationality: {nationality}\nLocation: {place}\nTopic: {topic}\nWaiting since: {since}\n\nLast messages:\n{history}")
STAFF_URGENT = M("staff.urgent", "URGENT")
STAFF_NORMAL = M("staff.normal", "normal")
STAFF_UNKNOWN = M("staff.unknown", "unknown")
STAFF_PERSON_SAYS = M("staff.person_says", "Person: {text}")
STAFF_CLAIMED = M("staff.claimed", "Case {case} claimed.")
STAFF_CLOSED = M("staff.closed", "Case {case} closed.")
STAFF_ALREADY_CLAIMED = M("staff.already_claimed", "Case {case} is already claimed.")
STAFF_STATUS = {
    "open": M("staff.status.open", "waiting"),
    "claimed": M("staff.status.claimed", "claimed"),
}
STAFF_REMINDER = M("staff.reminder", "Case {case} is still waiting for someone to claim it.")
STAFF_NOT_ALLOWED = M("staff.not_allowed", "Only this desk's staff can do that.")
STAFF_NOT_HERE = M("staff.not_here", "This case does not belong to this desk.")
STAFF_CASE_DONE = M("staff.case_done", "This case is already closed.")
STAFF_LIST = M("staff.list", "Open cases, urgent first, then oldest first:")
STAFF_LIST_ITEM = M("staff.list_item", "{case} · {status} · {urgency} · waiting {minutes} min")
STAFF_LIST_EMPTY = M("staff.list_empty", "No open cases.")
STAFF_BTN_CLAIM = M("staff.button.claim", "Claim")
STAFF_BTN_CLOSE = M("staff.button.close", "Close")

# Bot commands shown in Telegram's menu (keep each under 30 characters).
COMMANDS = {
    "start": M("command.start", "Start and choose a language"),
    "help": M("command.help", "What I can help with"),
    "language": M("command.language", "Change language"),
    "cancel": M("command.cancel", "Cancel the current question"),
    "forget": M("command.forget", "Erase my data"),
}

# Guidance framing
STEP = M("step", "{number}. {text}")
SOURCES = M("sources", "Sources: {sources}")

# Contacts
CONTACT_HEADING = M("contact.heading", "📍 {name}")
CONTACT_PLACE = M("contact.place", "{city}, {country}")
CONTACT_PHONE = M("contact.phone", "Phone: {phone}")
CONTACT_WEB = M("contact.web", "Website: {url}")
# TRANSLATORS: {hours} is the schedule as the office publishes it, in its own language.
CONTACT_HOURS = M("contact.hours", "Opening hours: {hours}")
CONTACT_ADDRESS = M("contact.address", "Address: {address}")
CONTACT_SOURCE = M("contact.source", "Source: {source}, checked on {date}.")
CONTACT_STALE = M("contact.stale", "Last checked on {date}: this may have changed, please confirm before you go.")
EMERGENCY_CALL = M("emergency.call", "Emergency in {country}: call {number}. It is free.")
EMERGENCY_CALL_KIND = M("emergency.call_kind", "{service} in {country}: call {number}. It is free.")
EMERGENCY_KINDS = {
    "police": M("emergency.kind.police", "Police"),
    "fire": M("emergency.kind.fire", "Fire brigade"),
    "ambulance": M("emergency.kind.ambulance", "Ambulance"),
}
EMERGENCY_UNKNOWN = M("emergency.unknown", "I have no verified emergency number for {country}. Ask local people or the organisations below.")
# Immediate danger: the first lines of the first message, then the urgent offer of a person.
# TRANSLATORS: the very first line a person in danger reads. Keep the number at the start if your language allows.
EMERGENCY_NOW = M("emergency.now", "Call {number} now. It is the emergency number in {country}, and it is free.")
# TRANSLATORS: {service} is e.g. "Ambulance"; the very first line a person in danger reads.
EMERGENCY_NOW_KIND = M("emergency.now_kind", "Call {number} now: {service} in {country}, free.")
EMERGENCY_ALSO = M("emergency.also", "{service}: {number}")
EMERGENCY_NOW_UNKNOWN = M("emergency.now_unknown", "I have no verified emergency number for {country}: ask anyone near you to call the local emergency services now.")
# TRANSLATORS: the last line of every fallback message (menu, not understood, questions).
EMERGENCY_SHORT = M("emergency.short", "In an emergency in {country}, call {number}.")
EMERGENCY_SHORT_UNKNOWN = M("emergency.short_unknown", "In an emergency, ask anyone near you to call the local emergency services.")
ESC_URGENT_CONSENT = M("escalation.urgent_consent", "I can ask a person from {desk} to answer you here now. They will see your language, nationality, location and your last messages. Do you want that?")
BTN_ESC_URGENT = M("button.escalate_urgent", "Yes, a person now")
CASE_URGENT_FORWARDED = M("case.urgent_forwarded", "I sent this to {desk} as URGENT (case {case}). Do not wait for them: call the emergency number now.")
CONSULATE_OF = M("consulate.of", "Consulate of {nationality} in {country}:")
CONSULATE_NONE = M("consulate.none", "I have no verified contact for a consulate of {nationality} in {country}.")
CONSULATE_FEAR = M("consulate.fear", "If you are afraid to contact the authorities of your country (for example because you are seeking asylum), you do not have to: the organisations below can help you instead.")
HUMANITARIAN = M("humanitarian", "Organisations that help everyone, whatever their nationality or status:")

# Shelters
SHELTERS_NEAREST = M("shelters.nearest", "Shelters nearest to you:")
SHELTER_ITEM = M("shelters.item", "{name} ({city}): {distance} km away. Map: {map}")
SHELTER_EXAMPLE = M("shelters.example", "⚠️ EXAMPLE entry for testing, not a real shelter.")
SHELTERS_NONE = M("shelters.none", "I know of no shelter within {distance} km of you.")

# Buttons
BTN_MENU = M("button.menu", "Main menu")
BTN_MORE = M("button.more", "More details")
BTN_OTHER_COUNTRY = M("button.other_country", "Other country")
BTN_SEND_LOCATION = M("button.send_location", "Send my location")
BTN_YES = M("button.yes", "Yes")
BTN_NO = M("button.no", "No")

# Topic names on the menu buttons
TOPIC_LABELS = {
    "lost_documents": M("topic.lost_documents", "Lost documents"),
    "evacuation": M("topic.evacuation", "Leave a dangerous place"),
    "shelter": M("topic.shelter", "A place to stay"),
    "medical_help": M("topic.medical_help", "Medical help"),
    "find_family": M("topic.find_family", "Find family"),
    "basic_needs": M("topic.basic_needs", "Food, water, essentials"),
    "legal_status": M("topic.legal_status", "Migration status"),
    "safety": M("topic.safety", "Safety and protection"),
    "contact_consulate": M("topic.contact_consulate", "My consulate"),
    "human_agent": M("topic.human_agent", "Talk to a person"),
}
