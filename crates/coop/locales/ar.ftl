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
