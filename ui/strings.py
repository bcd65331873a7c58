"""What the officer reads, screen by screen, in one place so it can be reviewed together."""

from __future__ import annotations

APP = "Quầy Một Cửa"
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
# The same labels as counter_app.services.intake.CHANNELS (a test keeps them equal); repeated here
# so the form can be built before the lane has imported the services.
CHANNELS = {1: "Trực tiếp", 2: "Trực tuyến", 3: "Bưu chính công ích"}
DOCUMENT_FORMS = ("bản chính", "bản sao", "bản chụp", "bản sao chứng thực")
SYNC = {"pending": "Chờ đồng bộ", "synced": "Đã đồng bộ"}


class Main:
    TITLE = APP + " — {office}"
    TITLE_OPENING = APP
    OPENING = "Đang mở kho dữ liệu…"
    TAB_INTAKE = "Tiếp nhận hồ sơ (F2)"
    TAB_LIST = "Danh sách hồ sơ (F3)"
    TAB_DOSSIER = "Chi tiết hồ sơ"
    CODE_BOX = "Quét hoặc nhập mã hồ sơ (F4)"
    MENU_FILE = "&Tệp"
    MENU_DOSSIER = "&Hồ sơ"
    MENU_SETTINGS = "&Cài đặt"
    MENU_HELP = "Trợ &giúp"
    ACT_QUIT = "Thoát"
    ACT_NEW = "Tiếp nhận hồ sơ mới"
    ACT_FIND = "Tìm hồ sơ"
    ACT_SCAN = "Mở hồ sơ theo mã / trả kết quả"
    ACT_SAVE = "Lưu"
    ACT_PRINT = "In giấy hẹn"
    ACT_BACK = "Quay lại / đóng thông báo"
    ACT_SCANNER = "Nhận diện máy quét mã vạch"
    ACT_KEYS = "Phím tắt"
    KEYS_HELP = (
        "F2  Tiếp nhận hồ sơ mới\n"
        "F3 hoặc Ctrl+F  Tìm hồ sơ\n"
        "F4  Quét hoặc nhập mã hồ sơ (trả kết quả)\n"
        "F6  Quét thẻ căn cước (ở màn hình tiếp nhận)\n"
        "Ctrl+S  Lưu hồ sơ\n"
        "Ctrl+P  Lưu và in giấy hẹn / in giấy hẹn của hồ sơ đang mở\n"
        "Esc  Quay lại, đóng thông báo\n"
        "Tab / Shift+Tab  Sang ô sau / ô trước, theo thứ tự của tờ khai"
    )
    OFFICE = "{agency} · Quầy {counter}"
    OFFICER = "Cán bộ: {name}"
    SYNC_WAITING = "Chờ đồng bộ: {n} sự kiện"
    SYNC_NONE = "Đã đồng bộ hết"
    SCANNER_ON = "Máy quét: bật"
    SCANNER_OFF = "Máy quét: tắt"
    QUIT_UNSAVED = "Hồ sơ đang nhập chưa được lưu. Vẫn thoát chương trình?"
    NEW_UNSAVED = "Xóa thông tin đang nhập để tiếp nhận hồ sơ mới?"
    PRINT_NOT_READY = ("Chức năng in giấy hẹn chưa có trong phiên bản này. Hồ sơ {code} đã được lưu; "
                       "có thể in sau từ màn hình chi tiết hồ sơ (Ctrl+P).")
    PRINT_NOTHING = "Chưa có hồ sơ nào để in giấy hẹn: hãy mở một hồ sơ hoặc lưu hồ sơ đang nhập."
    SAVE_ELSEWHERE = "Ctrl+S lưu hồ sơ ở màn hình Tiếp nhận (F2)."
    UNEXPECTED = "Lỗi không mong đợi ({kind}): {text}. Thông tin đang nhập vẫn được giữ nguyên."
    BUSY_KEPT = " Thông tin đang nhập vẫn được giữ nguyên."
    YES = "Đồng ý"
    NO = "Không"


class Scan:
    GARBLED_QR = ("Mã QR thẻ căn cước chưa đọc được trọn vẹn (có thể thẻ bị che hoặc quét quá nhanh); "
                  "vui lòng quét lại.")
    GARBLED = "Không nhận ra mã vừa quét ('{text}'): không phải mã hồ sơ hay mã QR thẻ căn cước; vui lòng quét lại."
    CARD_FILLED = "Đã điền thông tin từ thẻ căn cước. Vui lòng đối chiếu với người nộp trước khi lưu."
    CARD_SEARCH = "Đã quét thẻ căn cước: đang tìm các hồ sơ của số định danh {number}."
    OPENING = "Đang mở hồ sơ {code}…"


class Intake:
    APPLICANT = "Người nộp hồ sơ"
    SCAN_CARD = "Quét thẻ căn cước (F6)"
    SCAN_CARD_HINT = "Đưa mã QR trên thẻ căn cước vào máy quét (hoặc dán chuỗi QR vào đây rồi Enter)"
    FULL_NAME = "Họ và tên"
    ID_NUMBER = "Số định danh cá nhân"
    BIRTH_DATE = "Ngày sinh"
    BIRTH_DATE_HINT = "ngày/tháng/năm"
    GENDER = "Giới tính"
    GENDERS = ("", "Nam", "Nữ")
    ADDRESS = "Địa chỉ"
    PHONE = "Số điện thoại"
    EMAIL = "Thư điện tử"
    PROCEDURE = "Thủ tục hành chính"
    PROCEDURE_HINT = "Gõ tên hoặc mã thủ tục, có dấu hay không dấu; ↓ ↑ để chọn, Enter để nhận"
    PROCEDURE_NONE = "Chưa chọn thủ tục."
    PROCEDURE_CHOSEN = "{code} — {name}"
    PROCEDURE_DAYS = "Thời hạn giải quyết: {days}"
    SAME_DAY = "trong ngày"
    DAYS = "{n} ngày làm việc"
    NO_MATCH = "Không có thủ tục nào khớp với '{query}'."
    DOCUMENTS = "Thành phần hồ sơ"
    DOCUMENTS_NONE = "Chọn thủ tục để hiện danh sách giấy tờ."
    ADD_DOCUMENT = "+ Thêm giấy tờ khác"
    EXTRA_DOCUMENT = "Tên giấy tờ khác"
    REMOVE_DOCUMENT = "Bỏ dòng này"
    COUNT = "Số lượng"
    OTHER = "Thông tin khác"
    CHANNEL = "Hình thức nộp"
    SETS = "Số bộ hồ sơ"
    NOTE = "Ghi chú"
    DUE = "Hẹn trả kết quả"
    DUE_NONE = "—"
    DUE_WAIT = "đang tính…"
    RECEIVED = "Thời điểm tiếp nhận: {text}"
    NEW = "Nhập mới (F2)"
    SAVE = "Lưu (Ctrl+S)"
    SAVE_PRINT = "Lưu và in giấy hẹn (Ctrl+P)"
    SAVING = "Đang lưu…"
    SAVED = "Đã tiếp nhận hồ sơ {code} — {name}. Hẹn trả kết quả: {due}."
    LAST_SAVED = "Hồ sơ vừa lưu: {code}"
    FIX_FIRST = "Chưa lưu: còn {n} ô cần sửa (ghi bên cạnh ô, màu đỏ)."
    NEED_PROCEDURE = "Cần chọn thủ tục hành chính."
    NEED_DOCUMENT = "Cần đánh dấu ít nhất một giấy tờ người nộp đã nộp."


class Worklist:
    SEARCH = "Tìm: họ tên (có dấu hay không), số định danh, điện thoại, mã hồ sơ (Ctrl+F)"
    STATUS = "Trạng thái"
    DEADLINE = "Hạn trả"
    RECEIVED_FROM = "Nhận từ"
    RECEIVED_TO = "đến"
    ANY_DATE = "—"
    CLEAR = "Bỏ lọc"
    STATUS_SETS = (
        ("Tất cả trạng thái", ()),
        ("Chưa trả kết quả", (1, 2, 4, 5, 6, 9)),
        ("Đang giải quyết", (2, 4, 5, 6)),
    )
    DEADLINES = (("Mọi hạn trả", ""), ("Đến hạn hôm nay", "today"), ("Đến hạn trong 24 giờ", "24h"),
                 ("Quá hạn", "overdue"))
    COLUMNS = ("Mã hồ sơ", "Người nộp", "Thủ tục", "Ngày nhận", "Hẹn trả", "Trạng thái", "Đồng bộ")
    OVERDUE = "quá hạn"
    OVERDUE_TIP = "Hồ sơ đã quá hạn trả kết quả"
    LOADING = "Đang tải…"
    SHOWN = "Đang hiện {n} hồ sơ, mới nhất trước"
    SHOWN_MORE = "Đang hiện {n} hồ sơ, mới nhất trước — cuộn xuống để xem thêm"
    EMPTY = "Không có hồ sơ nào khớp với điều kiện lọc."


class Dossier:
    DOSSIER = "Thông tin hồ sơ"
    EMPTY = "Quét mã vạch trên giấy hẹn (hoặc nhập mã hồ sơ, F4) để xem hồ sơ."
    STATUS = "Trạng thái"
    PROCEDURE = "Thủ tục"
    WORKING_DAYS = "Thời hạn giải quyết"
    RECEIVED = "Tiếp nhận lúc"
    DUE = "Hẹn trả kết quả"
    RETURNED = "Đã trả kết quả lúc"
    RECIPIENT = "Người nhận kết quả"
    CHANNEL = "Hình thức nộp"
    SETS = "Số bộ hồ sơ"
    NOTE = "Ghi chú"
    OFFICER = "Cán bộ tiếp nhận"
    SYNC = "Đồng bộ"
    APPLICANT = "Người nộp hồ sơ"
    FULL_NAME = "Họ và tên"
    ID_NUMBER = "Số định danh cá nhân"
    OLD_ID_NUMBER = "Số CMND cũ"
    BIRTH_DATE = "Ngày sinh"
    GENDER = "Giới tính"
    ADDRESS = "Địa chỉ"
    PHONE = "Số điện thoại"
    EMAIL = "Thư điện tử"
    DOCUMENTS = "Thành phần hồ sơ"
    DOC_COLUMNS = ("STT", "Tên giấy tờ", "Hình thức", "Số lượng")
    PRINT = "In giấy hẹn (Ctrl+P)"
    BACK = "Quay lại (Esc)"
    OVERDUE = " — quá hạn"


class Setup:
    TITLE = APP + " — Thiết lập lần đầu"
    HEADING = "Thiết lập lần đầu cho máy này"
    INTRO = ("Máy này chưa có dữ liệu của cơ quan. Nhập thông tin dưới đây một lần; mã cơ quan dùng để "
             "cấp mã hồ sơ và không đổi được về sau.")
    AGENCY_CODE = "Mã cơ quan"
    AGENCY_CODE_HINT = "ví dụ 000.00.20.H12"
    AGENCY_CODE_OK = "Mã cơ quan đúng dạng."
    AGENCY_NAME = "Tên cơ quan"
    AGENCY_NAME_HINT = "ví dụ UBND xã Bình Mỹ"
    OFFICE_NAME = "Bộ phận tiếp nhận"
    OFFICE_NAME_HINT = "để trống: Bộ phận tiếp nhận và trả kết quả"
    PLACE = "Địa danh"
    PLACE_HINT = "in trên giấy tờ: «Bình Mỹ, ngày … tháng … năm …»"
    COUNTER = "Số quầy (0–9)"
    COUNTER_NOTE = "Mỗi quầy của cùng cơ quan dùng một số khác nhau, để mã hồ sơ không trùng khi làm việc ngoại tuyến."
    NEED_NAME = "Cần nhập tên cơ quan (ví dụ: UBND xã Bình Mỹ)."
    OK = "Bắt đầu sử dụng"
    CANCEL = "Thoát"
    SAVING = "Đang khởi tạo kho dữ liệu…"
