# الرسائل العربية لواجهة coop على الويب.
# Arabic messages for the coop web shell. Same keys, same order as en.ftl.
# Numbers use Western digits (0-9), like the rest of the app (see src/i18n.rs).
# Plurals follow the Arabic categories: zero, one, two, few (3-10), many (11-99), other.
# Messages are plain text: templates escape them, so never put HTML here.

## The shell: name, navigation, header and footer

app-name = coop
nav-main-label = التنقل الرئيسي
nav-dashboard = لوحة المتابعة
nav-members = الأعضاء
nav-decisions = القرارات
nav-meetings = الاجتماعات
nav-work = العمل
nav-money = المال
nav-policies = السياسات
nav-journal = السجل
nav-logout = تسجيل الخروج
nav-settings = الإعدادات
nav-account = حسابي
language-en = English
language-ar = العربية
language-default = اللغة الافتراضية للتعاونية
list-separator = { "، " }
form-cancel = إلغاء
form-password-hint = 10 أحرف على الأقل. بضع كلمات لا رابط بينها تصنع كلمة مرور قوية.
form-invalid-date = أدخل التاريخ بالصيغة YYYY-MM-DD، مثل 2026-03-01.
form-invalid-state = اختر حالة من القائمة.
form-invalid-role = اختر الأدوار من القائمة.
form-invalid-number = أدخل عددًا صحيحًا.

## Signing in

login-title = تسجيل الدخول
login-email = البريد الإلكتروني
login-password = كلمة المرور
login-submit = دخول
login-failed = البريد الإلكتروني أو كلمة المرور غير صحيحة.
login-throttled = محاولات فاشلة كثيرة. حاول مرة أخرى بعد { $seconds ->
        [one] ثانية واحدة
        [two] ثانيتين
        [few] { $seconds } ثوانٍ
       *[other] { $seconds } ثانية
    }.
logged-in-as = تم تسجيل الدخول باسم { $name }
coop-name-label = التعاونية: { $name }
footer-journal-head = بصمة آخر قيد في السجل: { $hash }
skip-to-content = انتقل إلى المحتوى

## Dashboard

dashboard-title = لوحة المتابعة
dashboard-members-by-state = الأعضاء حسب الحالة
dashboard-candidacies-due = فترات ترشّح تقترب من نهايتها
dashboard-candidacy-due-line = { $name }: تنتهي فترة الترشّح في { $date }
dashboard-no-candidacies = لا تنتهي أي فترة ترشّح في الأسابيع القادمة.
dashboard-recent-journal = أحدث قيود السجل
dashboard-count = العدد
dashboard-all-journal = السجل كاملًا

## Member states and roles

state-applicant = متقدم
state-candidate = مرشح
state-member = عضو
state-on_leave = في إجازة
state-departed = مغادر (قدامى الأعضاء)
role-admin = مسؤول
role-secretary = أمين السر

## Members

members-title = الأعضاء
members-search = البحث بالاسم أو البريد الإلكتروني
members-search-submit = بحث
members-filter-state = الحالة
members-all-states = كل الحالات
members-add = إضافة عضو
members-none = لا يوجد عضو مطابق.
members-count = { $count ->
        [zero] لا أحد
        [one] شخص واحد
        [two] شخصان
        [few] { $count } أشخاص
        [many] { $count } شخصًا
       *[other] { $count } شخص
    }
members-pages = صفحات الأعضاء
members-page = الصفحة { $page } من { $pages }
members-page-previous = الصفحة السابقة
members-page-next = الصفحة التالية
member-name = الاسم
member-email = البريد الإلكتروني
member-state = الحالة
member-since = منذ
member-roles = الأدوار
member-language = اللغة
member-planned-end = النهاية المقررة لفترة الترشّح
member-note = ملاحظة
member-history = سجل التغييرات
member-edit = تعديل
member-save = حفظ
member-change-state = تغيير الحالة
member-change-state-submit = تطبيق التغيير
member-effective-date = تاريخ السريان
member-added = تمت إضافة { $name }.
member-updated = تم تحديث بيانات العضو.
member-state-changed = تم تغيير الحالة.
member-password-optional = كلمة المرور (اختيارية: اتركها فارغة وأصدِر رابط إعادة تعيين بدلًا منها)
member-reset-link = إصدار رابط لإعادة تعيين كلمة المرور
member-reset-link-issued = رابط إعادة تعيين صالح لمرة واحدة ولمدة { $hours ->
        [one] ساعة واحدة
        [two] ساعتين
        [few] { $hours } ساعات
       *[other] { $hours } ساعة
    }: { $link }
member-detail-title = بيانات العضو
member-since-hint = اتركه فارغًا ليكون تاريخ اليوم.
member-planned-end-hint = للمرشح فقط. اتركه فارغًا لتُطبَّق مدة الترشّح المعتادة في التعاونية.
member-candidacy-due = تقترب نهايتها
member-account = الحساب
member-has-password = لديه كلمة مرور
member-no-password = لا توجد كلمة مرور بعد
member-added-on = تاريخ الإضافة
member-seal = الختم
member-reset-link-hint = يعمل الرابط مرة واحدة. سلّمه للعضو بنفسك؛ فهو لا يظهر إلا في الصفحة التالية.

## Journal

journal-title = السجل
journal-filter-action = الإجراء
journal-filter-actor = المنفّذ
journal-filter-submit = تصفية
journal-seq = الرقم
journal-at = الوقت
journal-actor = المنفّذ
journal-action = الإجراء
journal-subject = الموضوع
journal-hash = البصمة
journal-none = لا يوجد قيد مطابق.
journal-filter-action-hint = بداية اسم الإجراء، مثل member.
journal-actor-all = الجميع
journal-actor-cli = سطر الأوامر (cli)
journal-verify = التحقق من السجل
journal-paging = صفحات السجل
journal-newest = أحدث القيود
journal-older = قيود أقدم
journal-verify-ok = تم التحقق من سلامة السجل: { $entries ->
        [zero] لا توجد قيود
        [one] قيد واحد
        [two] قيدان
        [few] { $entries } قيود
        [many] { $entries } قيدًا
       *[other] { $entries } قيد
    }.
journal-verify-failed = فشل التحقق من السجل: تم تغيير قيد أو ختم. شغّل الأمر "coop journal verify" لمعرفة أول قيد تالف، وأبلغ بقية الأعضاء.

## My account

account-title = حسابي
account-change-password = تغيير كلمة المرور
account-current-password = كلمة المرور الحالية
account-new-password = كلمة المرور الجديدة
account-password-changed = تم تغيير كلمة المرور.
account-tokens = رموز الوصول إلى واجهة البرمجة (API)
account-token-label = التسمية
account-token-create = إنشاء رمز
account-token-created = رمز API الجديد (يُعرض مرة واحدة فقط): { $token }
account-language = اللغة
account-language-saved = تم حفظ اللغة.
account-tokens-hint = يتيح الرمز لبرنامج نصي أن يعمل باسمك عبر واجهة البرمجة. ألغِ الرموز التي لم تعد تستخدمها.
account-token-created-at = تاريخ الإنشاء
account-token-status = الحالة
account-token-active = نشط
account-token-revoked-state = ملغى
account-token-revoke = إلغاء الرمز
account-token-revoked = تم إلغاء الرمز.
account-token-none = ليست لديك رموز API.

## Errors, password reset and co-op settings

area-coming-soon = سيتوفر هذا القسم في إصدار قادم.
error-title = حدث خطأ
error-not-found = هذه الصفحة غير موجودة.
error-forbidden = ليست لديك صلاحية القيام بهذا.
error-csrf = انتهت صلاحية النموذج. أعد تحميل الصفحة وحاول مرة أخرى.
error-invalid = بعض القيم غير صالحة. صحّحها وحاول مرة أخرى.
error-internal = حدث عطل في الخادم. حاول مرة أخرى، وإذا تكرر العطل فأبلغ أحد المسؤولين.
error-back-home = العودة إلى لوحة المتابعة
form-required = مطلوب
reset-title = اختيار كلمة مرور جديدة
reset-submit = تعيين كلمة المرور
reset-done = تم تعيين كلمة المرور. يمكنك تسجيل الدخول الآن.
reset-invalid = رابط إعادة التعيين هذا غير صالح أو انتهت صلاحيته. اطلب رابطًا جديدًا من أحد المسؤولين.
settings-title = إعدادات التعاونية
settings-name = اسم التعاونية
settings-currency = العملة
settings-timezone = المنطقة الزمنية
settings-fiscal-year-start = بداية السنة المالية (شهر-يوم)
settings-language = اللغة الافتراضية
settings-saved = تم حفظ الإعدادات.
settings-currency-hint = رمز من ثلاثة أحرف مثل USD أو EUR أو EGP.
settings-timezone-hint = المنطقة/المدينة، مثل Europe/Berlin أو Africa/Cairo.
settings-candidacy-months = مدة الترشّح المعتادة (بالأشهر)

## Decisions: proposals, votes, secret ballots and decision classes

form-invalid-datetime = أدخل تاريخًا ووقتًا، مثل 2026-03-01 14:30.
form-invalid-choice = اختر قيمة من القائمة.
decisions-title = القرارات
decisions-open = المقترحات المفتوحة للتصويت
decisions-decided = المقترحات المحسومة
decisions-none-open = لا يوجد مقترح مفتوح للتصويت.
decisions-none-decided = لم يُحسم أي مقترح بعد.
decisions-new = مقترح جديد
decisions-classes-link = كيف نقرّر: فئات القرارات
decisions-col-title = المقترح
decisions-col-class = الفئة
decisions-col-closes = ينتهي التصويت
decisions-col-turnout = صوّتوا
decisions-col-to-pass = حتى يُقَرّ
decisions-col-status = النتيجة
decisions-col-summary = التفاصيل
decisions-col-decided = تاريخ الحسم
decisions-turnout = { $turnout } من { $eligible }
decisions-needs-more = { $count ->
        [one] يلزمه صوت واحد إضافي
        [two] يلزمه صوتان إضافيان
        [few] يلزمه { $count } أصوات إضافية
        [many] يلزمه { $count } صوتًا إضافيًا
       *[other] يلزمه { $count } صوت إضافي
    }
decisions-passes-now = يُقَرّ لو انتهى التصويت الآن
decisions-cannot-pass = لم يعد بإمكانه أن يُقَرّ
decisions-results-hidden = مخفية حتى وقت لاحق
decisions-secret-badge = اقتراع سري
status-open = مفتوح للتصويت
status-passed = أُقِرّ
status-failed = لم يُقَرّ
status-no_quorum = لم يكتمل النصاب
status-blocked = أُوقِف باعتراض
outcome-passed = أُقِرّ
outcome-failed = لم يُقَرّ
outcome-no_quorum = لم يكتمل النصاب
outcome-blocked = أُوقِف باعتراض
outcome-next_round = يُحال إلى جولة ثانية
choice-yes = نعم
choice-no = لا
choice-abstain = امتناع عن التصويت
choice-agree = موافقة
choice-stand_aside = تنحٍّ جانبًا
choice-block = اعتراض مانع
choice-consent = قبول
choice-object = اعتراض
ratio-named = { $name } ({ $ratio })
ratio-1-1 = الكل
ratio-1-2 = النصف
ratio-1-3 = الثلث
ratio-2-3 = الثلثين
ratio-1-4 = الربع
ratio-3-4 = ثلاثة الأرباع
ratio-3-5 = ثلاثة الأخماس
ratio-4-5 = أربعة الأخماس
rule-separator = { "؛ " }
rule-vote = تصويت: { $terms }
rule-vote-terms = { $share } من { $base }
rule-vote-unanimous = بإجماع { $base }
rule-share-at-least = ما لا يقل عن { $ratio }
rule-share-more-than = أكثر من { $ratio }
rule-base-cast = الأصوات المُدلى بها (نعم ولا)
rule-base-cast_with_abstain = الأصوات المُدلى بها بما فيها الامتناع
rule-base-eligible = الأعضاء الذين يحق لهم التصويت
rule-base-present = الأعضاء الحاضرين في الاجتماع
rule-quorum = نصاب لا يقل عن { $ratio } من الأعضاء الذين يحق لهم التصويت
rule-no-quorum = دون نصاب
rule-consensus = توافق: يُقَرّ المقترح ما لم يعترض عليه أحد اعتراضًا مانعًا
rule-stand-asides-max = الحد الأقصى للتنحي: { $count }
rule-stand-asides-any = التنحي مسموح دون حد
rule-fallback = إذا وقع اعتراض مانع تُحسم جولة ثانية بالتصويت ونتيجتها نهائية: { $terms }
rule-no-fallback = الاعتراض المانع يوقف المقترح
rule-consent = قبول: يُقَرّ المقترح ما لم يعترض عليه أحد
summary = { $outcome } ({ $details })
summary-separator = { "، " }
summary-vote = أيّده { $yes } من أصل { $count } من { $base }، والمطلوب { $share }
summary-share-unanimous = الإجماع
summary-consensus = موافقة: { $agree }، تنحٍّ: { $stand_aside }، اعتراض مانع: { $block }
summary-stand-aside-limit = والحد الأقصى للتنحي { $max }
summary-consent = قبول: { $consent }، اعتراض: { $object }
summary-quorum-met = النصاب { $needed } من { $eligible } مكتمل
summary-quorum-not-met = النصاب { $needed } من { $eligible } غير مكتمل (شارك { $participation })
proposal-class = الفئة
proposal-class-version = الإصدار { $version }
proposal-rule = القاعدة
proposal-opened = بدأ التصويت
proposal-closes = ينتهي التصويت
proposal-closed = تاريخ الحسم
proposal-ballot = طريقة الاقتراع
proposal-ballot-secret = سرّي: لا يُحفظ اختيار أحد مقرونًا باسمه
proposal-ballot-open = علني: يُعرض كل صوت مع اسم صاحبه وسببه
proposal-turnout = عدد من صوّتوا
proposal-seal = الختم
proposal-round-2 = الجولة الثانية: وقع اعتراض مانع في جولة التوافق، لذا تُحسم هذه الجولة بالتصويت البديل، ونتيجتها نهائية.
proposal-amendment = إذا أُقِرّ هذا المقترح فإنه يغيّر فئة القرارات { $class }.
proposal-text = نص المقترح
proposal-no-text = ليس لهذا المقترح نص غير عنوانه.
proposal-tally = الفرز حتى الآن
proposal-outcome = النتيجة
proposal-tally-choice = الخيار
proposal-tally-count = الأصوات
proposal-results-hidden-vote = يظهر لك الفرز بعد أن تصوّت.
proposal-results-hidden-close = يظهر الفرز عند انتهاء التصويت ({ $closes }).
proposal-if-closed-now = لو انتهى التصويت الآن: { $summary }
proposal-needs-more = { $count ->
        [one] يحتاج المقترح إلى صوت مؤيد واحد إضافي ({ $choice }) حتى يُقَرّ.
        [two] يحتاج المقترح إلى صوتين مؤيدين إضافيين ({ $choice }) حتى يُقَرّ.
        [few] يحتاج المقترح إلى { $count } أصوات مؤيدة إضافية ({ $choice }) حتى يُقَرّ.
        [many] يحتاج المقترح إلى { $count } صوتًا مؤيدًا إضافيًا ({ $choice }) حتى يُقَرّ.
       *[other] يحتاج المقترح إلى { $count } صوت مؤيد إضافي ({ $choice }) حتى يُقَرّ.
    }
proposal-passes-now = بالأصوات المُدلى بها حتى الآن، سيُقَرّ المقترح.
proposal-cannot-pass = لم يعد بإمكان المقترح أن يُقَرّ، حتى لو اختار كل من لم يصوّت بعد «{ $choice }».
proposal-vote-title = صوتك
proposal-meeting = يُحسم هذا المقترح برفع الأيدي في الاجتماع رقم { $meeting }، ويُدخل أمين السر الأعداد.
proposal-my-vote = صوتك الحالي: { $choice }. يمكنك تغييره حتى ينتهي التصويت.
proposal-secret-my-vote = في الاقتراع السري لا يحفظ coop اختيارك مقرونًا باسمك، لذا لا تستطيع هذه الصفحة أن تعرض صوتك. رمز الإيصال هو ما يدلّك على ورقتك.
proposal-no-vote-yet = لم تصوّت بعد.
proposal-vote-refused = لا يمكنك التصويت على هذا المقترح.
proposal-vote-choice = اختيارك
proposal-vote-choose = اختر أحد الخيارات.
proposal-vote-reason = السبب
proposal-vote-reason-hint = اختياري، لكنه مطلوب إذا اخترت { $choices }: يحتاج الآخرون إلى معرفة ما يجب تغييره.
proposal-vote-reason-hint-optional = اختياري. في الاقتراع العلني يستطيع الجميع قراءته.
proposal-vote-reason-secret = في الاقتراع السري يُتحقق من وجود السبب لكنه لا يُحفظ، حتى لا يكشف هويتك؛ اذكره في النقاش إن أردت أن يُسمع.
proposal-vote-receipt = رمز الإيصال (فقط لتغيير صوت سري أدليت به من قبل)
proposal-vote-receipt-hint = اتركه فارغًا عند تصويتك الأول. لتغيير صوتك أدخل رمز الإيصال الذي ظهر لك حين صوّتّ.
proposal-vote-submit = صوّت
proposal-vote-change = غيّر صوتي
proposal-find-later = بعد انتهاء التصويت تُنشر كل أوراق الاقتراع في هذه الصفحة. أدخل رمز الإيصال في خانة «ابحث عن ورقتي» لتتأكد أن ورقتك احتُسبت كما أدليت بها.
proposal-close = أنهِ التصويت الآن
proposal-close-hint = يُنهي التصويت قبل موعده ويحسب النتيجة من الأصوات المُدلى بها حتى الآن. لا يمكن التراجع عن ذلك.
proposal-votes = الأصوات وأسبابها
proposal-votes-member = العضو
proposal-votes-choice = الخيار
proposal-votes-reason = السبب
proposal-votes-at = الوقت
proposal-ballots = أوراق الاقتراع المنشورة
proposal-ballots-hint = كل أوراق هذا الاقتراع السري، دون ترتيب معيّن. ابحث عن ورقتك برمز الإيصال.
proposal-ballots-id = الورقة
proposal-ballots-round = الجولة
proposal-ballots-choice = الخيار
proposal-ballots-receipt = بصمة الإيصال
proposal-ballots-none = لم تُودَع أي ورقة.
proposal-find = ابحث عن ورقتي
proposal-find-receipt = رمز الإيصال
proposal-find-submit = ابحث
proposal-find-empty = أدخل رمز الإيصال الذي ظهر لك حين صوّتّ.
proposal-find-found = احتُسبت ورقتك { $ballot }: { $choice } (الجولة { $round }).
proposal-find-missing = لا توجد ورقة بهذا الرمز. تأكد أنك كتبته تمامًا كما ظهر لك.
proposal-operator-title = ما يستطيع المشغّل الذي يصل إلى قاعدة البيانات معرفته رغم ذلك
proposal-operator-intro = يفصل الاقتراع السري اختيارك عن اسمك، لكن لذلك حدودًا. من يستطيع قراءة قاعدة بيانات coop أو ملفاتها (الشخص الذي يشغّل الخادم، أو أي شخص بيده نسخة احتياطية) يستطيع مع ذلك أن يعرف:
proposal-operator-turnout = من صوّت: قائمة المشاركة تذكر كل عضو صوّت، لكن لا تذكر كيف صوّت؛
proposal-operator-time = متى صوّت كل عضو: يسجّل السجل وقت كل تصويت ومن أدلى به، لكن لا يسجّل الاختيار؛
proposal-operator-count = العدد الجاري لكل خيار أثناء التصويت، حتى لو كانت هذه الفئة تخفي الفرز عن الأعضاء.
proposal-operator-no-link = لا شيء في قاعدة البيانات يربط ورقة اقتراع بعضو: تُحفظ كل ورقة بمفتاح عشوائي، دون اسم ودون وقت ودون ترتيب وصول.
proposal-operator-live = لكن المشغّل المصمّم الذي يراقب الخادم مباشرة أثناء تصويت أحدهم (بقراءة قاعدة البيانات قبل التصويت وبعده مباشرة، أو سجل الكتابة المسبقة، أو ذاكرة الخادم) يستطيع أن يعرف أي ورقة تعود لمن. وإذا كان عدد المصوّتين قليلًا جدًا أو كانت النتيجة بالإجماع، فقد يكشف العدد وحده كيف صوّت الناس.
proposal-operator-receipt = يتيح لك رمز الإيصال أن تتحقق بعد انتهاء التصويت من أن ورقتك موجودة في القائمة المنشورة كما أدليت بها. لا تُحفظ إلا بصمة الرمز؛ احتفظ بالرمز لنفسك.
proposal-comments = النقاش
proposal-comments-none = لا توجد تعليقات بعد.
proposal-comment-by = { $name }، { $at }
proposal-comment-cli = سطر الأوامر
proposal-comment-body = تعليقك
proposal-comment-submit = أضف التعليق
proposal-comment-closed = أُغلق النقاش مع انتهاء التصويت.
proposal-opened-now = المقترح مفتوح الآن للتصويت.
proposal-voted = سُجّل صوتك.
proposal-vote-changed = تم تغيير صوتك.
proposal-voted-decided = سُجّل صوتك. كان آخر الأصوات، لذا حُسم المقترح: انظر النتيجة أدناه.
proposal-secret-receipt = سُجّل صوتك السري. ما دام التصويت مفتوحًا يتيح لك رمز الإيصال تغيير صوتك؛ وبعد انتهاء التصويت أدخله في خانة «ابحث عن ورقتي» لتتأكد أن ورقتك احتُسبت. دوّنه الآن، فهو لا يظهر إلا هذه المرة. رمز الإيصال: { $receipt }
proposal-secret-changed = تم تغيير صوتك السري. يبقى رمز الإيصال كما هو.
proposal-commented = أُضيف تعليقك.
proposal-closed-now = انتهى التصويت وحُسبت النتيجة.
proposal-next-round = وقع اعتراض مانع في جولة التوافق: فُتحت جولة ثانية تُحسم بالتصويت البديل.
proposal-new-title = مقترح جديد
proposal-new-class = فئة القرار
proposal-new-class-hint = تحدد الفئة من يصوّت وبأي قاعدة.
proposal-new-no-class = لا توجد فئة قرارات بعد. يجب أن يضيف أحد المسؤولين فئة أولًا.
proposal-new-title-field = العنوان
proposal-new-body = النص (بصيغة Markdown)
proposal-new-body-hint = يُعرض تمامًا كما تكتبه. اذكر ما المقترح، ولماذا، وكم يكلّف.
proposal-new-closes = ينتهي التصويت (بتوقيت التعاونية، { $tz })
proposal-new-closes-hint = بعد أسبوع من الآن ما لم تغيّره.
proposal-new-secret = اقتراع سري
proposal-new-secret-hint = لا يُعرض اختيار أحد مقرونًا باسمه؛ يحصل كل مصوّت على رمز إيصال يجد به ورقته بعد انتهاء التصويت.
proposal-new-submit = افتح المقترح للتصويت
classes-title = فئات القرارات
classes-intro = كيف تقرّر هذه التعاونية: لكل فئة من القرارات قاعدة، وهي تحدد من يصوّت. ويحتفظ كل مقترح محسوم بإصدار القاعدة الذي حُسم بموجبه.
classes-name = الفئة
classes-version = الإصدار
classes-rule = القاعدة
classes-eligible = من يصوّت
classes-results = متى يظهر الفرز
classes-governs = تحكم تغيير القواعد
classes-governs-yes = نعم: تُحسم تغييرات الفئات بموجب هذه الفئة
classes-governs-no = لا
classes-adopted-by = اعتُمد بالمقترح رقم { $id }
classes-none = لا توجد فئة قرارات بعد.
classes-set = تعيين فئة قرارات
classes-set-before-founding = لم تحسم التعاونية أي قرار بعد، لذا يُطبَّق هذا التغيير فورًا. وبعد حسم أول مقترح يصبح تغيير أي فئة مقترحًا بحد ذاته.
classes-set-after-founding = حسمت التعاونية مقترحات من قبل، لذا يفتح هذا النموذج مقترحًا ضمن الفئة التي تحكم تغيير القواعد ({ $class }). ولا تتغير الفئة إلا إذا أُقِرّ ذلك المقترح.
classes-set-name = اسم الفئة
classes-set-name-hint = الاسم الموجود يغيّر تلك الفئة (بإصدار جديد)؛ والاسم الجديد يضيف فئة.
classes-set-rule = القاعدة (بصيغة JSON)
classes-set-rule-hint = القاعدة بصيغة JSON، مثل تصويت بالثلثين، أو توافق مع تصويت بديل، أو قبول:
classes-set-eligible = من يصوّت (حالته يوم بدء التصويت)
classes-set-results = متى يرى الأعضاء الفرز
classes-set-governs = هذه الفئة تحكم تغيير القواعد
classes-set-closes = ينتهي التصويت على التغيير (بتوقيت التعاونية، { $tz })
classes-set-closes-hint = اتركه فارغًا ليستمر التصويت أسبوعًا.
classes-set-submit-apply = عيّن الفئة
classes-set-submit-propose = اقترح التغيير
classes-applied = تم تعيين الفئة { $name }.
classes-proposed = فُتح التغيير مقترحًا للتصويت.
results-live = مباشرة، أثناء التصويت
results-after_vote = لكل عضو بعد أن يصوّت
results-after_close = عند انتهاء التصويت
decisions-elections-link = الانتخابات
elections-title = الانتخابات
elections-intro = تُشغَل مقاعد المجلس والأدوار بالانتخاب. كل ورقة اقتراع سرية. يفرز coop الأوراق بنفسه، جولة بعد جولة، وينشر النتيجة مع كل ورقة عند انتهاء التصويت.
elections-list = كل الانتخابات
elections-none = لا توجد انتخابات بعد.
elections-col-title = الانتخاب
elections-col-method = الطريقة
elections-col-seats = المقاعد
elections-col-status = الحالة
elections-col-turnout = صوّتوا
elections-col-closes = ينتهي التصويت
elections-col-elected = الفائزون
elections-new = انتخاب جديد
elections-new-title = العنوان
elections-new-seats = عدد المقاعد
elections-new-method = طريقة التصويت
elections-new-method-hint = التصويت الترتيبي الفوري يشغل مقعدًا واحدًا؛ استخدم الصوت الواحد المتحوّل لعدة مقاعد.
elections-new-candidates = المرشحون، واحد في كل سطر
elections-new-candidates-hint = بالترتيب الذي يظهرون به في ورقة الاقتراع (وهذا الترتيب يحسم آخر حالات التعادل). اتركه فارغًا لتلقي الترشيحات أولًا؛ ثم يبدأ التصويت حين يفتحه أمين السر.
elections-new-closes = ينتهي التصويت (بتوقيت التعاونية، { $tz })
elections-new-closes-hint = يُستخدم حين يبدأ التصويت فورًا مع المرشحين أعلاه. بعد أسبوع من الآن ما لم تغيّره.
elections-new-submit = أنشئ الانتخاب
election-method-stv = الصوت الواحد المتحوّل (STV)
election-method-irv = التصويت الترتيبي الفوري (IRV)
election-method-plurality = الأغلبية النسبية
election-method-approval = تصويت الموافقة
election-explain-stv = يرقّم كل ناخب المرشحين حسب تفضيله. يفوز المرشح الذي يبلغ الحصة، وتنتقل الأصوات التي لا يحتاجها إلى الاختيارات التالية لناخبيه بقيمة مخفّضة؛ وحين لا يبقى فائض يُستبعد المرشح صاحب أقل الأصوات وتنتقل أوراقه. يُفرز وفق قواعد الصوت الواحد المتحوّل الاسكتلندية (مرسوم انتخابات الحكم المحلي في اسكتلندا لعام 2007، القواعد 45 إلى 52)، بدقة خمس خانات عشرية.
election-explain-irv = يرقّم كل ناخب المرشحين حسب تفضيله. يفوز المرشح الذي ينال أكثر من نصف الأوراق التي ما زالت تُحتسب؛ وإلا يُستبعد المرشح صاحب أقل الأصوات وتنتقل أوراقه إلى الاختيار التالي لكل ناخب، جولة بعد جولة.
election-explain-plurality = يختار كل ناخب مرشحًا واحدًا. يفوز المرشحون الحاصلون على أكثر الأصوات.
election-explain-approval = يؤشّر كل ناخب على كل مرشح يوافق عليه. يفوز المرشحون الذين وافق عليهم أكبر عدد من الناخبين.
election-seats = { $seats ->
        [one] مقعد واحد.
        [two] مقعدان.
        [few] { $seats } مقاعد.
       *[other] { $seats } مقعدًا.
    }
election-ties = يُحسم التعادل بالجولات السابقة: يُستبعد أولًا المرشح الذي نال أصواتًا أقل في أحدث جولة اختلفت فيها أصوات المتعادلين. وإن تساووا في كل الجولات يحسم ترتيب ورقة الاقتراع: يُستبعد أولًا آخر المدرجين، ويفوز أولًا أول المدرجين.
election-status-nominating = تلقّي الترشيحات
election-status-open = مفتوح للتصويت
election-status-closed = فُرزت الأصوات
election-method = الطريقة
election-seats-label = المقاعد
election-opened = بدأ التصويت
election-closes = ينتهي التصويت
election-closed = الموعد المحدد لانتهاء التصويت
election-turnout = من صوّتوا
election-seal = الختم
election-candidates = المرشحون
election-candidates-none = لم يُرشَّح أحد بعد.
election-nominate = رشّح شخصًا
election-nominate-name = الاسم في ورقة الاقتراع
election-nominate-hint = بلا فواصل أو ">" أو علامات تنصيص مزدوجة.
election-nominate-submit = رشّح
election-open = بدء التصويت
election-open-hint = ينهي الترشيحات. يظهر المرشحون في ورقة الاقتراع بالترتيب أعلاه، ويصوّت الأعضاء المؤهلون اليوم.
election-open-closes = ينتهي التصويت (بتوقيت التعاونية، { $tz })
election-open-submit = ابدأ التصويت الآن
election-ballot-title = ورقة اقتراعك
election-ballot-secret = ورقة اقتراعك سرية: لا يحتفظ coop بأي صلة بينك وبين اختياراتك. تحصل على رمز إيصال تجد به ورقتك في القائمة المنشورة عند انتهاء التصويت.
election-voted = لقد صوّتَّ في هذا الانتخاب. ورقتك سرية، لذا لا تستطيع هذه الصفحة عرضها. لتغييرها املأ النموذج مجددًا مع رمز الإيصال.
election-not-voted = لم تصوّت بعد.
election-ballot-refused = لا يمكنك التصويت في هذا الانتخاب.
election-rank-legend = رقّم المرشحين حسب تفضيلك: 1 لاختيارك الأول، و2 للثاني، وهكذا. اترك "بلا ترتيب" لمن لا تريد ترتيبه.
election-rank-none-option = بلا ترتيب
election-rank-option = الاختيار رقم { $rank }
election-rank-empty = رتّب مرشحًا واحدًا على الأقل: أعطِ اختيارك الأول الرقم 1.
election-rank-duplicate = أعطيت الرقم { $rank } لأكثر من مرشح ({ $names }). أعطِ كل رقم لمرشح واحد فقط.
election-rank-gap = يجب أن تتتابع الأرقام 1، 2، 3 وهكذا بلا فجوة: لا يحمل أي مرشح الرقم { $missing }.
election-approve-legend = أشّر على كل مرشح توافق عليه.
election-approve-empty = أشّر على مرشح واحد على الأقل.
election-choice-legend = اختر مرشحًا واحدًا.
election-choice-empty = اختر أحد المرشحين.
election-ballot-receipt = رمز الإيصال (لتغيير الورقة التي أدليت بها)
election-ballot-receipt-hint = أدخل رمز الإيصال الذي ظهر لك عند التصويت؛ تحل ورقتك الجديدة محل القديمة.
election-ballot-submit = أدلِ بورقتي
election-ballot-change = غيّر ورقتي
election-close = أنهِ التصويت الآن
election-close-hint = ينهي التصويت قبل موعده، ويفرز الأوراق، وينشر النتيجة مع كل ورقة. لا يمكن التراجع عن ذلك.
election-results = النتيجة
election-elected = الفائزون
election-reason-quota = بلغ الحصة
election-reason-majority = أكثر من نصف الأوراق التي ما زالت تُحتسب
election-reason-most_votes = من بين الأكثر أصواتًا
election-reason-remaining_seats = بقي من المرشحين بعدد المقاعد
election-reason-lowest = أقل الأصوات
election-quota = الحصة: { $quota } صوتًا (حصة دروب: { $ballots } ورقة صحيحة مقسومة على عدد المقاعد { $seats } زائد واحد، مقرّبة إلى الأدنى، زائد واحد).
election-rounds = جولة بعد جولة
election-rounds-caption = أصوات كل مرشح في نهاية كل جولة، بدقة خمس خانات عشرية. يُعلَّم الفائز والمستبعد في الجولة التي حدث فيها ذلك.
election-rounds-candidate = المرشح
election-round = الجولة { $round }
election-action-count = الفرز الأول
election-action-surplus = نقل فائض { $name } ({ $votes })
election-action-exclusion = استبعاد { $name }
election-mark-elected = فاز
election-mark-excluded = استُبعد
election-non-transferable = غير قابلة للنقل (لا اختيار تالٍ)
election-lost-to-rounding = فُقدت بالتقريب
election-transfers = عمليات النقل
election-transfers-round = الجولة { $round }: { $transfers }
election-transfer = { $papers ->
        [one] ورقة واحدة من { $from } إلى { $to }، قيمتها { $votes } صوت
        [two] ورقتان من { $from } إلى { $to }، قيمتهما { $votes } صوت
        [few] { $papers } أوراق من { $from } إلى { $to }، قيمتها { $votes } صوت
       *[other] { $papers } ورقة من { $from } إلى { $to }، قيمتها { $votes } صوت
    }
election-transfer-exhausted = { $papers ->
        [one] ورقة واحدة من { $from } بلا اختيار تالٍ، قيمتها { $votes } صوت
        [two] ورقتان من { $from } بلا اختيار تالٍ، قيمتهما { $votes } صوت
        [few] { $papers } أوراق من { $from } بلا اختيار تالٍ، قيمتها { $votes } صوت
       *[other] { $papers } ورقة من { $from } بلا اختيار تالٍ، قيمتها { $votes } صوت
    }
election-ties-title = حالات التعادل
election-tie-round = الجولة { $round }: تعادل { $names }، { $broken }.
election-tie-earlier = وحُسم التعادل بأصواتهم في الجولة { $round }
election-tie-order = وحُسم التعادل بترتيب ورقة الاقتراع
election-ballots = الأوراق المنشورة
election-ballots-hint = كل أوراق هذا الانتخاب، بلا ترتيب معيّن وبلا أسماء. جد ورقتك برمز الإيصال.
election-ballots-id = الورقة
election-ballots-ballot = الاختيارات
election-ballots-receipt = بصمة الإيصال
election-find-found = احتُسبت ورقتك { $ballot }: { $choices }.
election-blt = نزّل الأوراق (ملف BLT)
election-blt-hint = BLT هي الصيغة التي تقرؤها برامج الفرز الأخرى (OpenSTV وDroop وغيرها)، فيستطيع أي أحد إعادة فرز الأوراق.
election-operator-count = كل ورقة أُدلي بها حتى الآن أثناء التصويت، ومن ثم الفرز الجاري، مع أن الأعضاء لا يرون النتيجة إلا عند الانتهاء.
election-created-now = أُنشئ الانتخاب وهو مفتوح للتصويت.
election-created-nominating = أُنشئ الانتخاب؛ وهو يتلقى الترشيحات الآن.
election-nominated = رُشّح { $name }.
election-opened-now = بدأ التصويت.
election-receipt-flash = سُجّلت ورقة اقتراعك. دوّن رمز الإيصال الآن: لن يظهر إلا هذه المرة. أثناء التصويت يتيح لك تغيير ورقتك؛ وبعد انتهاء التصويت أدخله في "ابحث عن ورقتي" لتتأكد أن ورقتك احتُسبت. رمز الإيصال: { $receipt }
election-ballot-changed = غُيّرت ورقة اقتراعك. يبقى رمز الإيصال كما هو.
election-closed-now = انتهى التصويت وفُرزت الأوراق.
election-no-ballots = لم تُدلَ أي ورقة قبل الموعد المحدد، لذا لم يُنتخب أحد.

## Work
work-title = العمل
work-open-timesheet = املأ أسبوعي
work-year = السنة
work-year-show = اعرض
work-year-total = ساعات العمل في { $year }: { $hours }
work-hours-unit = س
work-chart-hours-title = الساعات لكل عضو في كل شهر
work-chart-hours-desc = لوحة لكل عضو فيها عمود لكل شهر، وكلها بالمقياس نفسه؛ ويلي اسم العضو مجموع ساعاته في السنة. يعرض الجدول أدناه الأرقام نفسها.
work-chart-balance-title = الرصيد مقابل الالتزام
work-chart-balance-desc = شريط لكل عضو له التزام: يمين الخط إذا سبق الساعات المتوقعة حتى الآن، ويساره إذا تأخر عنها، والرقم بإشارته بجانبه. يعرض الجدول أدناه الأرقام نفسها.
work-chart-balance-legend = يسار الخط: متأخر (-)، يمينه: متقدم (+)
work-table-member-months = الساعات لكل عضو وشهر
work-table-balances = الأرصدة مقابل الالتزامات
work-table-projects = الساعات حسب المشروع
work-table-kinds = الساعات حسب نوع العمل
work-table-months = الساعات حسب الشهر
work-reports = التقارير
work-member = العضو
work-project = المشروع
work-kind = نوع العمل
work-month = الشهر
work-hours = الساعات
work-total = المجموع
work-declared = المُعلن
work-expected = المتوقع حتى الآن
work-worked = المُنجز
work-balance = الرصيد
work-ahead = متقدم
work-behind = متأخر
work-none-name = (بلا)
work-no-hours = لا ساعات مسجلة في هذه السنة.
work-no-commitments = لا التزام لأي عضو في هذه السنة.
work-month-1 = يناير
work-month-2 = فبراير
work-month-3 = مارس
work-month-4 = أبريل
work-month-5 = مايو
work-month-6 = يونيو
work-month-7 = يوليو
work-month-8 = أغسطس
work-month-9 = سبتمبر
work-month-10 = أكتوبر
work-month-11 = نوفمبر
work-month-12 = ديسمبر
work-day-mon = الاثنين
work-day-tue = الثلاثاء
work-day-wed = الأربعاء
work-day-thu = الخميس
work-day-fri = الجمعة
work-day-sat = السبت
work-day-sun = الأحد
work-timesheet-title = جدول الساعات
work-week-of = { $name }: أسبوع من { $from } إلى { $to }
work-week-nav = الأسابيع
work-prev-week = الأسبوع السابق
work-this-week = هذا الأسبوع
work-next-week = الأسبوع التالي
work-back-to-summary = ملخص العمل
work-member-show = اعرض
work-cells-invalid = بعض الخانات تحتاج إلى مراجعة: انظر الرسائل في الجدول.
work-locked = (مقفل)
work-locked-hint = الأيام المقفلة تتبع شهرًا اعتُمدت مسيرة رواتبه؛ لا تتغير ساعاتها إلا بتصحيح.
work-cell-label = الساعات في { $project }، { $day }
work-imported-mark = *
work-imported-hint = تشمل ساعات مستوردة من أداة تتبع الوقت؛ لا يمكن أن تنزل الخانة هنا عنها.
work-add-project = أضف مشروعًا
work-add-project-none = اختر مشروعًا
work-day-total = مجموع اليوم
work-timesheet-hint = اكتب ساعات كل مشروع وكل يوم (7.5 أو 7:30 أو 7h30m)؛ الخانة الفارغة صفر. لا يتسع اليوم لأكثر من 24 ساعة. ينقلك مفتاح Tab عبر أيام المشروع.
work-save = احفظ الأسبوع
work-saved = { $count ->
        [zero] لم تُحفظ أي خانة. مجموع الأسبوع الآن { $total } ساعة.
        [one] حُفظت خانة واحدة. مجموع الأسبوع الآن { $total } ساعة.
        [two] حُفظت خانتان. مجموع الأسبوع الآن { $total } ساعة.
        [few] حُفظت { $count } خانات. مجموع الأسبوع الآن { $total } ساعة.
       *[other] حُفظت { $count } خانة. مجموع الأسبوع الآن { $total } ساعة.
    }
work-saved-nothing = لم يتغير شيء في هذا الأسبوع.
work-new-row-project = اختر مشروعًا للصف المضاف، أو امسح خاناته.
work-no-project = بلا مشروع

## Pay
pay-title = الأجور
pay-month = الشهر
pay-show = عرض
pay-system = نظام الأجور
pay-system-in-force = النسخة { $version } سارية منذ { $from }، اعتُمدت بالمقترح { $proposal }.
pay-no-system = لا يوجد نظام أجور ساري في هذا الشهر. يقترح المسؤول نظامًا (coop pay system propose) ويقرر الأعضاء.
pay-system-pending = النسخة { $version } ابتداءً من { $from } بانتظار القرار.
pay-see-proposal = عرض المقترح
pay-run-of = أجور { $month }
pay-run-approved = اعتُمدت في { $at } من قبل { $by }. ساعات الشهر مقفلة، وأي تغيير يكون تصحيحًا يُسوّى في الشهر التالي.
pay-run-draft = مسودة: محسوبة من الساعات الحالية. لا يُدفع شيء حتى يعتمدها مسؤول.
pay-ratio = نسبة الأجر الأعلى إلى الأدنى: { $ratio }.
pay-ratio-limit = نسبة الأجر الأعلى إلى الأدنى: { $ratio } (حد التعاونية { $limit }).
pay-ratio-over = تتجاوز الحد.
pay-paid-hours = الساعات المدفوعة
pay-gross = الإجمالي
pay-adjustments = التصحيحات
pay-total = المجموع
pay-sealed = مختومة في السجل:
pay-csv = تنزيل ملف CSV للرواتب
pay-approve-explain = الاعتماد يختم هذه الدفعة ويقفل ساعات الشهر وإجازاته.
pay-approve = اعتماد أجور هذا الشهر
pay-runs = الأشهر المعتمدة
pay-no-runs = لم يُعتمد أي شهر بعد.
pay-approved = اعتُمدت أجور الشهر وخُتمت.
work-open-pay = الأجور
work-open-projects = المشاريع وأنواع العمل

## Projects
projects-title = المشاريع وأنواع العمل
projects-list = المشاريع
projects-sort = الترتيب:
projects-sort-client = حسب العميل
projects-sort-name = حسب الاسم
projects-col-name = المشروع
projects-col-client = العميل
projects-col-billing = الفوترة
projects-col-hours = الساعات المسجلة
projects-col-change = تعديل
projects-no-client = بلا عميل
projects-billable = مفوتر
projects-internal = داخلي
projects-none = لا توجد مشاريع في التعاونية بعد.
projects-client-of = عميل { $name }
projects-save = حفظ
projects-add = إضافة مشروع
projects-field-name = الاسم
projects-field-client = العميل
projects-field-client-hint = اتركه فارغًا لمشروع داخلي للتعاونية.
projects-field-billable = يُفوتر للعميل
projects-add-submit = إضافة المشروع
projects-added = أُضيف المشروع { $name }.
projects-updated = عُدّل المشروع { $name }.
projects-kinds = أنواع العمل
projects-kinds-explain = أجر الساعة ووزن العائد لكل نوع من العمل الساري اليوم ({ $today })، وكل نسخة مع الشهر الذي تبدأ فيه.
projects-col-rate = أجر الساعة ({ $currency })
projects-col-weight = وزن العائد
projects-col-since = ساري منذ
projects-col-history = النسخ
projects-general-rate = الأجر العام
projects-no-rate-yet = لا أجر ساريًا بعد.
projects-no-rates = لا يوجد أجر لأي نوع من العمل بعد.
projects-versions = { $count ->
        [zero] لا نسخ
        [one] نسخة واحدة
        [two] نسختان
        [few] { $count } نسخ
       *[other] { $count } نسخة
    }
projects-version = ابتداءً من { $from }: الأجر { $rate }، الوزن { $weight }
projects-in-force = ساري
projects-upcoming = قادم
projects-set-rate = تحديد أجر
projects-field-from = ابتداءً من الشهر
projects-field-from-hint = يبدأ الأجر في اليوم الأول من الشهر؛ والشهر الذي اعتُمدت أجوره يحتفظ بأجره.
projects-field-rate = أجر الساعة ({ $currency })
projects-field-rate-hint = مثل 36.00؛ اتركه فارغًا ليُدفع هذا النوع بالأجر العام لنظام الأجور.
projects-field-weight = وزن العائد
projects-field-weight-hint = مثل 1 أو 1.5: قدر ما تُحسب به ساعة من هذا النوع في توزيع العائد.
projects-set-rate-submit = تحديد الأجر
projects-rate-set = حُدّد أجر { $kind } ابتداءً من { $from }.
projects-kind-required = أدخل نوع العمل.
projects-rate-from-invalid = أدخل شهرًا بالصيغة YYYY-MM، مثل 2026-03: يبدأ الأجر في اليوم الأول من الشهر.

## Meetings
meetings-title = الاجتماعات
meetings-upcoming = الاجتماعات القادمة
meetings-past = الاجتماعات السابقة
meetings-none-upcoming = لا يوجد اجتماع مُجدول.
meetings-none-past = لم يُعقد أي اجتماع بعد.
meetings-col-title = الاجتماع
meetings-col-kind = النوع
meetings-col-when = الموعد ({ $tz })
meetings-col-where = المكان
meetings-col-minutes = المحضر
meeting-online = عبر الإنترنت
meeting-kind-general = جمعية عامة
meeting-kind-production = اجتماع إنتاج
meeting-kind-board = اجتماع مجلس الإدارة
meeting-kind-committee = اجتماع لجنة
meeting-minutes-state-draft = مسودة
meeting-minutes-state-circulated = مُعمَّم
meeting-minutes-state-approved = معتمد ومختوم
meetings-schedule = جدولة اجتماع
meetings-field-title = العنوان
meetings-field-kind = نوع الاجتماع
meetings-field-starts = يبدأ في ({ $tz })
meetings-field-length = المدة المتوقعة بالدقائق
meetings-field-place = المكان
meetings-field-link = رابط الاجتماع عبر الإنترنت
meetings-field-link-hint = عنوان ويب مثل https://meet.example.org/general، أو اتركه فارغًا.
meetings-repeat-legend = التكرار
meetings-field-repeat = يتكرر
meetings-field-count = عدد الاجتماعات
meetings-field-count-hint = مع التكرار: كم اجتماعًا في المجموع، أو حدِّد تاريخًا أخيرًا بدلًا من ذلك.
meetings-field-until = التاريخ الأخير
meetings-schedule-submit = جدولة
meetings-repeat-none = لا يتكرر
meetings-repeat-weekly = كل أسبوع
meetings-repeat-every-2-weeks = كل أسبوعين
meetings-repeat-every-3-weeks = كل 3 أسابيع
meetings-repeat-every-4-weeks = كل 4 أسابيع
meetings-repeat-monthly = كل شهر
meeting-scheduled = { $count ->
    [one] جُدول الاجتماع.
    [two] جُدول اجتماعان.
    [few] جُدولت { $count } اجتماعات.
   *[other] جُدول { $count } اجتماعًا.
}
meeting-length = { $minutes } دقيقة
meeting-status = الحالة
meeting-status-scheduled = مُجدول
meeting-status-held = انعقد
meeting-status-approved = المحضر معتمد
meeting-exports = التنزيلات
meeting-export-md = المحضر بصيغة Markdown
meeting-export-html = المحضر للطباعة (HTML)
meeting-export-pdf = المحضر بصيغة PDF
meeting-export-ics = حدث في التقويم (iCalendar)
meeting-agenda = جدول الأعمال
meeting-agenda-published-at = نُشر جدول الأعمال في { $at }.
meeting-agenda-not-published = لم يُنشر جدول الأعمال بعد.
meeting-agenda-empty = لا توجد بنود في جدول الأعمال بعد.
meeting-agenda-publish = نشر جدول الأعمال
meeting-agenda-republish = إعادة نشر جدول الأعمال
meeting-agenda-published = نُشر جدول الأعمال.
meeting-agenda-reordered = رُتِّب جدول الأعمال من جديد.
meeting-item-presenter = يقدّمه { $name }
meeting-item-box = { $minutes } دقيقة
meeting-item-proposal = المقترح { $id }
meeting-item-notes = ملاحظات على «{ $title }»
meeting-notes-save = حفظ الملاحظات
meeting-notes-saved = حُفظت الملاحظات.
meeting-item-up = نقل إلى الأعلى
meeting-item-down = نقل إلى الأسفل
meeting-suggested = البنود المقترحة
meeting-item-accept = إدراج في جدول الأعمال
meeting-item-accepted = أُدرج البند في جدول الأعمال.
meeting-item-add = إضافة بند
meeting-item-added = أُضيف البند إلى جدول الأعمال.
meeting-item-title = البند
meeting-item-presenter-label = المقدِّم
meeting-item-no-presenter = بلا مقدِّم
meeting-item-box-label = الوقت المخصص بالدقائق
meeting-item-proposal-label = المقترح المرتبط
meeting-item-no-proposal = بلا مقترح
meeting-item-notes-label = الملاحظات
meeting-item-suggest = اقتراح بند
meeting-item-suggest-hint = يقرر أمين السر ما إذا كان سيُدرج في جدول الأعمال.
meeting-item-suggested = أُرسل اقتراحك إلى أمين السر.
meeting-roles = الأدوار
meeting-role = الدور
meeting-role-holder = يتولاه
meeting-role-suggested = المقترح حسب التناوب
meeting-role-facilitator = الميسِّر
meeting-role-note_taker = كاتب المحضر
meeting-role-timekeeper = ضابط الوقت
meeting-role-nobody = لا أحد بعد
meeting-roles-hint = تبدأ القوائم بمن يتولى الدور، وإلا فبالعضو الذي تولاه منذ أطول مدة.
meeting-roles-save = حفظ الأدوار
meeting-roles-saved = حُفظت الأدوار.
meeting-attendance = الحضور
meeting-attendance-present = حاضر
meeting-attendance-remote = عن بُعد
meeting-attendance-absent = غائب
meeting-attendance-excused = معتذر
meeting-attendance-unrecorded = غير مسجَّل
meeting-attendance-record = تسجيل الحضور
meeting-attendance-save = حفظ الحضور
meeting-attendance-saved = حُفظ الحضور.
meeting-quorum = نصاب القرارات
meeting-decision = المقترح
meeting-decision-class = الفئة
meeting-decision-quorum = النصاب
meeting-decision-present = الحاضرون
meeting-decision-status = الحالة
meeting-decision-by-hands = برفع الأيدي في هذا الاجتماع
meeting-quorum-needed = { $quorum } من { $eligible } من أصحاب الحق: المطلوب { $needed }
meeting-quorum-none = لا نصاب
meeting-quorum-met = النصاب مكتمل
meeting-quorum-not-met = النصاب غير مكتمل
meeting-count-hint = يُحتسب الحاضرون عن بُعد ضمن الحاضرين. تُعدّ الأيدي في صفحة المقترح.
meeting-actions = المهام
meeting-actions-none = لم يُتفق على أي مهمة.
meeting-action-title = المهمة
meeting-action-owner = المسؤول
meeting-action-due = الموعد النهائي
meeting-action-state = الحالة
meeting-action-change = تغيير
meeting-action-item = بند جدول الأعمال
meeting-action-no-item = بلا بند محدد
meeting-action-is-done = منجزة
meeting-action-is-open = مفتوحة
meeting-action-is-overdue = متأخرة
meeting-action-mark-done = تعليم كمنجزة
meeting-action-reopen = إعادة فتح
meeting-action-add = إضافة مهمة
meeting-action-added = سُجِّلت المهمة.
meeting-action-done = عُلِّمت المهمة كمنجزة.
meeting-action-reopened = أُعيد فتح المهمة.
meeting-minutes = المحضر
meeting-minutes-explain-draft = المحضر مسودة: يصححه أمين السر ثم يعمّمه للقراءة.
meeting-minutes-explain-circulated = المحضر معمَّم للقراءة. بعد اعتماده يُختم في السجل ولا يتغير إلا بتصويبات.
meeting-minutes-explain-approved = المحضر معتمد ومختوم في السجل. تُلحق التصويبات به، ويبقى الأصل كما خُتم.
meeting-minutes-circulate = تعميم المحضر
meeting-minutes-circulated = عُمِّم المحضر.
meeting-minutes-reopen = إعادة إلى المسودة
meeting-minutes-reopened = عاد المحضر مسودة.
meeting-minutes-approve = اعتماد المحضر وختمه
meeting-minutes-approved = اعتُمد المحضر وخُتم.
meeting-approved-at = اعتُمد في
meeting-approved-by = اعتمده
meeting-approved-by-record = أمين السر، نيابة عن الاجتماع
meeting-sealed-hash = الختم
meeting-journal-head = رأس السجل عند الاعتماد
meeting-errata = التصويبات
meeting-erratum-by = أضافه { $by } في { $at }، مختوم:
meeting-erratum-text = التصويب
meeting-erratum-add = إلحاق التصويب
meeting-erratum-added = أُلحق التصويب وخُتم.
dashboard-my-actions = مهامي المفتوحة
dashboard-actions-overdue = { $count ->
    [zero] لا توجد مهام متأخرة.
    [one] إحدى مهامك متأخرة.
    [two] مهمتان من مهامك متأخرتان.
    [few] { $count } من مهامك متأخرة.
   *[other] { $count } من مهامك متأخرة.
}
dashboard-action-meeting = الاجتماع
dashboard-no-actions = ليست لديك مهام مفتوحة.
calendar-feed-title = رابط التقويم
calendar-feed-hint = عنوان خاص لتطبيق التقويم لديك فيه اجتماعات التعاونية ومواعيد إغلاق المقترحات التي تصوّت عليها. يستطيع قراءته كل من يعرف العنوان: إنشاء عنوان جديد يوقف القديم.
calendar-feed-create = إنشاء عنوان تقويم جديد
calendar-feed-created = عنوان تقويمك (يظهر مرة واحدة): { $url }
meeting-approval-propose = اقتراح اعتماد المحضر
meeting-approval-hint = أو اترك القرار للأعضاء: مقترح يعتمد هذا المحضر ويختمه إذا أُقرّ، تُعدّ فيه الأيدي في اجتماع لاحق أو يُطرح للتصويت.
meeting-approval-at = يُقرَّر في
meeting-approval-by-vote = بالتصويت، لا في اجتماع
meeting-approval-closes = يُغلق التصويت في ({ $tz })
meeting-approval-proposed = فُتح مقترح اعتماد المحضر.

## Money
money-title = المال
money-equity = فحص حقوق الملكية
money-equity-holds = الفحص سليم: حسابات الأعضاء مع الاحتياطي الجماعي تساوي حقوق ملكية التعاونية.
money-equity-does-not-hold = الفحص غير سليم: حسابات الأعضاء مع الاحتياطي الجماعي لا تساوي حقوق ملكية التعاونية.
money-equity-members = حسابات الأعضاء
money-equity-reserve = الاحتياطي الجماعي
money-equity-sum = الحسابات مع الاحتياطي
money-equity-equity = حقوق ملكية التعاونية
money-years = الفائض والاحتياطي عبر السنين
money-chart-title = الفائض والاحتياطي الجماعي حسب السنة المالية
money-chart-desc = عمود لكل سنة مالية لصافي فائضها (تحت الخط: خسارة)، وخط للاحتياطي الجماعي في نهاية كل سنة. الأرقام نفسها في الجدول.
money-chart-legend = الأعمدة: فائض السنة. النقاط والخط: الاحتياطي في نهاية السنة.
money-year = السنة المالية
money-period = المدة
money-status = الحالة
money-status-open = مفتوحة
money-status-closed = مغلقة
money-status-committed = وُزّع فائضها وخُتم
money-surplus = صافي الفائض
money-reserve-at-end = الاحتياطي في نهاية السنة
money-not-entered = لم يُدخل بعد
money-no-years = لا توجد سنة مالية بعد.
money-reserve-now = الاحتياطي الجماعي اليوم:
money-accounts = حسابات الأعضاء
money-my-account = حسابي الرأسمالي
money-member = العضو
money-balance = الرصيد
money-no-accounts = لا يوجد حساب رأسمالي لعرضه.
money-statement-title = كشف الحساب الرأسمالي
money-statement-entries = حركات الحساب
money-date = التاريخ
money-kind = النوع
money-amount = المبلغ
money-ref = المرجع
money-running-balance = الرصيد بعدها
money-no-entries = لا توجد حركة بعد.
money-kind-buy_in = مساهمة الانضمام
money-kind-allocation = حصة محتجزة
money-kind-loss = حصة من خسارة
money-kind-interest = فائدة
money-kind-redemption = استرداد
money-kind-departure = حُوّل إلى دين عند المغادرة
money-kind-reserve = إلى الاحتياطي
money-buy-in = مساهمة الانضمام
money-buy-in-total = المجموع
money-buy-in-paid = المدفوع
money-buy-in-remaining = المتبقي
money-payments = النقد المستحق لك على التعاونية
money-due = تاريخ الاستحقاق
money-allocation-title = توزيع فائض السنة المالية { $year }
money-form-invalid = بعض الأرقام تحتاج إلى تصحيح: انظر الرسائل أدناه.
money-committed-heading = اعتُمد وخُتم
money-committed-at = اعتُمد في { $at }.
money-sealed = مختوم في السجل:
money-whatif = ماذا لو
money-whatif-explain = جرّب أرقامًا أخرى وشاهد نتيجة كل عضو والنقد اللازم في كل شهر. المعاينة لا تغيّر شيئًا.
money-reserve-share = حصة الاحتياطي (%)
money-loss-reserve-share = حصة الخسارة التي يتحملها الاحتياطي (%)
money-cash-share = الحصة النقدية (%)
money-percent-hint = نسبة مئوية، مثل 25 أو 12.5.
money-basis = الأساس
money-basis-hint = hours أو wages أو weighted، أو مزيج مثل mix:50/50 (ساعات/أجور).
money-preview = عاين
money-result-committed = التوزيع المعتمد
money-result-preview = معاينة: لم يُرحّل شيء
money-to-reserve = إلى الاحتياطي الجماعي
money-to-community = إلى صندوق المجتمع
money-pool = موزّع على الأعضاء
money-notice-kind = الإشعارات
money-qualified = مؤهَّلة (20% أو أكثر نقدًا)
money-non-qualified = غير مؤهَّلة
money-policy = السياسة
money-policy-version = الإصدار { $version }، اعتُمد بقرار
money-policy-none = لا سياسة معتمدة: الأرقام أعلاه
money-members-result = نتيجة كل عضو
money-patronage = التعامل
money-allocation = الحصة
money-cash = نقدًا
money-retained = محتجز
money-notice = الإشعار الكتابي
money-notice-html = HTML
money-notice-pdf = PDF
money-total = المجموع
money-no-patronage = لا تعامل لأي عضو في هذه السنة.
money-cash-by-month = النقد اللازم في كل شهر
money-month = الشهر
money-cash-needed = النقد اللازم
money-commit-heading = اعتماد التوزيع
money-commit-explain = الاعتماد يرحّل المبالغ المحتجزة إلى الحسابات الرأسمالية وحصة الاحتياطي إلى الاحتياطي، ويجدول النقد، ويختم التوزيع في السجل، ويغلق السنة. تُعتمد السنة مرة واحدة.
money-commit-figures = الأرقام التي ستُعتمد كما عوينت: الاحتياطي { $reserve }%، النقد { $cash }%، الأساس { $basis }.
money-commit = اعتمد توزيع { $year }
money-committed = اعتُمد توزيع { $year } وخُتم.
money-open-heading = فتح سنة مالية
money-open-hint = السنة التي تبدأ فيها، مثل 2026. تتبع تواريخها بداية السنة المالية للتعاونية.
money-open = افتح السنة المالية
money-open-year-invalid = اكتب السنة رقمًا، مثل 2026.
money-year-opened = فُتحت السنة المالية { $year }.
money-surplus-heading = صافي فائض السنة
money-surplus-hint = رقم عشري بعملة التعاونية، مثل 12500.00؛ والخسارة سالبة، مثل -800.00.
money-surplus-save = أدخل الفائض
money-surplus-invalid = اكتب المبلغ رقمًا عشريًا بمنزلتين عشريتين على الأكثر، مثل 12500.00 أو -800.00.
money-surplus-entered = أُدخل صافي فائض { $year }.
money-import-explain = أو الصق قائمة الدخل من المحاسب بصيغة CSV: سطر عناوين والأعمدة account,amount (واختياريًا type بقيمة income أو expense)، أو مخرجات hledger incomestatement -O csv. الصافي هو الإيرادات ناقص المصروفات؛ والملف الذي فيه سطر واحد خاطئ لا يغيّر شيئًا.
money-import-csv = قائمة الدخل (CSV)
money-import = استورد الفائض
money-surplus-imported = استُورد صافي فائض { $year }: { $net } من { $lines } سطرًا.
money-close-explain = إغلاق السنة بعد آخر يوم فيها يثبّت فائضها. واعتماد التوزيع يغلقها أيضًا.
money-close = أغلق السنة المالية { $year }
money-year-closed = أُغلقت السنة المالية { $year }.

# Cash payments marked paid (capital statement).
money-paid-on = دُفع في
money-unpaid = لم يُدفع بعد
