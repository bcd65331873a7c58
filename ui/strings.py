"""What the officer reads, screen by screen, in one place so it can be reviewed together."""

from __future__ import annotations

from counter_app.domain.channels import CHANNELS  # noqa: F401 - one set of labels; imports no SQLAlchemy

APP = "Quầy Một Cửa"
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
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
    ACT_KEYS = "Phím tắt"
    KEYS_HELP = (
        "F2  Tiếp nhận hồ sơ mới\n"
        "F3 hoặc Ctrl+F  Tìm hồ sơ\n"
        "F4  Quét hoặc nhập mã hồ sơ (trả kết quả)\n"
        "F5  Danh sách hồ sơ cần chú ý\n"
        "Ở màn hình trả kết quả: 1 / 2 / 3 mức hài lòng, Enter xác nhận; Alt+K ghi hồ sơ đã có kết quả\n"
        "F6  Quét thẻ căn cước (ở màn hình tiếp nhận)\n"
        "F7  Niêm yết thủ tục: tờ niêm yết có mã QR, danh mục niêm yết\n"
        "F8  Số hóa giấy tờ của hồ sơ đang mở (thư mục máy quét, mở tệp, gán trang, lưu bản số)\n"
        "Ctrl+S  Lưu hồ sơ\n"
        "Ctrl+P  Lưu và in giấy hẹn / in giấy hẹn của hồ sơ đang mở\n"
        "Esc  Quay lại, đóng thông báo\n"
        "Tab / Shift+Tab  Sang ô sau / ô trước, theo thứ tự của tờ khai"
    )
    OFFICE = "{agency} · Quầy {counter}"
    OFFICER = "Cán bộ: {name}"
    NOBODY = "Chưa đăng nhập"
    SCANNER_ON = "Máy quét: bật"
    SCANNER_OFF = "Máy quét: tắt"
    QUIT_UNSAVED = "Hồ sơ đang nhập chưa được lưu. Vẫn thoát chương trình?"
    QUIT_DISCARD = "Thoát, bỏ hồ sơ đang nhập"
    QUIT_KEEP = "Ở lại nhập tiếp (Enter)"
    NEW_UNSAVED = "Xóa thông tin đang nhập để tiếp nhận hồ sơ mới?"
    NEW_DISCARD = "Xóa, nhập hồ sơ mới"
    NEW_KEEP = "Giữ thông tin đang nhập (Enter)"
    PRINT_NOT_READY = ("Chức năng in giấy hẹn chưa có trong phiên bản này. Hồ sơ {code} đã được lưu; "
                       "có thể in sau từ màn hình chi tiết hồ sơ (Ctrl+P).")
    PRINT_NOTHING = "Chưa có hồ sơ nào để in giấy hẹn: hãy mở một hồ sơ hoặc lưu hồ sơ đang nhập."
    SAVE_ELSEWHERE = "Ctrl+S lưu hồ sơ ở màn hình Tiếp nhận (F2)."
    UNEXPECTED = "Lỗi không mong đợi ({kind}): {text}. Thông tin đang nhập vẫn được giữ nguyên."
    BUSY_KEPT = " Thông tin đang nhập vẫn được giữ nguyên."
    YES = "Đồng ý"
    NO = "Không"
    CLOSE = "Đóng"


class Scan:
    GARBLED_QR = ("Mã QR thẻ căn cước chưa đọc được trọn vẹn (có thể thẻ bị che hoặc quét quá nhanh); "
                  "vui lòng quét lại.")
    GARBLED = "Không nhận ra mã vừa quét ('{text}'): không phải mã hồ sơ hay mã QR thẻ căn cước; vui lòng quét lại."
    CARD_FILLED = "Đã điền thông tin từ thẻ căn cước. Vui lòng đối chiếu với người nộp trước khi lưu."
    CARD_SEARCH = "Đã quét thẻ căn cước: đang tìm các hồ sơ của số định danh {number}."
    CARD_UNREADABLE = ("Một số chữ có dấu không đến được qua bàn phím: hãy nhập tay các ô được đánh dấu "
                       "(hoặc quét lại; đọc qua cổng COM thì không mất chữ, xem Cài đặt › Máy quét).")
    CARD_UNREADABLE_FIELD = "Ô này có chữ không đọc được từ máy quét: vui lòng nhập tay theo thẻ."
    PRODUCT = "Đây là mã vạch sản phẩm ({kind}), không phải mã hồ sơ hay CCCD."
    OPENING = "Đang mở hồ sơ {code}…"



class Scanner:
    """The scanner's settings (Cài đặt › Máy quét…) and its place in the status bar."""

    MENU = "&Máy quét…"
    TITLE = "Máy quét mã vạch"
    MODE = "Cách nhận mã từ máy quét"
    MODE_KEYBOARD = "&Bàn phím: máy quét gõ mã như một bàn phím USB"
    MODE_SERIAL = "&Cổng COM (USB ảo): đọc đúng từng chữ có dấu"
    MODE_OFF = "&Tắt: phím gõ vào chỉ là chữ, không nhận diện mã quét"
    PORT = "Cổ&ng:"
    BAUD = "Tốc độ (ba&ud):"
    REFRESH = "Tìm &lại cổng"
    NO_PORTS = "Chưa thấy cổng COM nào: cắm máy quét, đặt nó ở chế độ USB COM rồi bấm Tìm lại cổng."
    PORTS_FOUND = "Cổng đang có: {ports}"
    LABEL_KEYBOARD = "Máy quét: bàn phím"
    LABEL_SERIAL = "Máy quét: cổng {port}"
    LABEL_WAITING = "Máy quét: chưa kết nối cổng {port}, đang thử lại"
    SERIAL_NOT_UTF8 = ("Máy quét (cổng COM) gửi dữ liệu không phải chữ UTF-8 nên không đọc được; hãy đặt máy "
                       "quét gửi UTF-8 rồi quét lại.")
    SERIAL_TOO_LONG = "Máy quét (cổng COM) gửi hơn {n} byte mà không xuống dòng: đã bỏ qua, vui lòng quét lại."

class Fields:
    """A dossier's and its applicant's fields, named alike on the intake form and the dossier view."""

    APPLICANT = "Người nộp hồ sơ"
    FULL_NAME = "Họ và tên"
    ID_NUMBER = "Số định danh cá nhân"
    BIRTH_DATE = "Ngày sinh"
    GENDER = "Giới tính"
    ADDRESS = "Địa chỉ"
    PHONE = "Số điện thoại"
    EMAIL = "Thư điện tử"
    DOCUMENTS = "Thành phần hồ sơ"
    CHANNEL = "Hình thức nộp"
    SETS = "Số bộ hồ sơ"
    NOTE = "Ghi chú"
    DUE = "Hẹn trả kết quả"


class Intake(Fields):
    SCAN_CARD = "Quét thẻ căn cước (F6)"
    SCAN_CARD_HINT = "Đưa mã QR trên thẻ căn cước vào máy quét (hoặc dán chuỗi QR vào đây rồi Enter)"
    BIRTH_DATE_HINT = "ngày/tháng/năm"
    GENDERS = ("", "Nam", "Nữ")
    PROCEDURE = "Thủ tục hành chính"
    PROCEDURE_HINT = "Gõ tên hoặc mã thủ tục, có dấu hay không dấu; ↓ ↑ để chọn, Enter để nhận"
    PROCEDURE_NONE = "Chưa chọn thủ tục."
    PROCEDURE_CHOSEN = "{code} — {name}"
    PROCEDURE_DAYS = "Thời hạn giải quyết: {days}"
    SAME_DAY = "trong ngày"
    DAYS = "{n} ngày làm việc"
    NO_MATCH = "Không có thủ tục nào khớp với '{query}'."
    DOCUMENTS_NONE = "Chọn thủ tục để hiện danh sách giấy tờ."
    ADD_DOCUMENT = "+ Thêm giấy tờ khác"
    EXTRA_DOCUMENT = "Tên giấy tờ khác"
    REMOVE_DOCUMENT = "Bỏ dòng này"
    COUNT = "Số lượng"
    OTHER = "Thông tin khác"
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
    REFUSED = "Đã ghi từ chối tiếp nhận hồ sơ {code} (lý do: {reason})."


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


class Dossier(Fields):
    DOSSIER = "Thông tin hồ sơ"
    EMPTY = "Quét mã vạch trên giấy hẹn (hoặc nhập mã hồ sơ, F4) để xem hồ sơ."
    STATUS = "Trạng thái"
    PROCEDURE = "Thủ tục"
    WORKING_DAYS = "Thời hạn giải quyết"
    RECEIVED = "Tiếp nhận lúc"
    RETURNED = "Đã trả kết quả lúc"
    RECIPIENT = "Người nhận kết quả"
    OFFICER = "Cán bộ tiếp nhận"
    SYNC = "Đồng bộ"
    OLD_ID_NUMBER = "Số CMND cũ"
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
    PASSPHRASE = "Cụm mật khẩu khôi phục"
    PASSPHRASE_HINT = "để trống: phần mềm tạo mã khôi phục"
    PASSPHRASE_AGAIN = "Nhập lại cụm mật khẩu"
    PASSPHRASE_NOTE = ("Dữ liệu công dân được mã hóa. Cụm mật khẩu này mở các bản sao lưu trên máy khác và mở "
                       "lại dữ liệu khi cài lại Windows; cán bộ không phải gõ nó khi làm việc hằng ngày.")
    PASSPHRASE_SHORT = "Cụm mật khẩu cần ít nhất 10 ký tự."
    PASSPHRASE_DIFFERENT = "Hai lần nhập không giống nhau."
    RECOVERY_CODE = ("Dữ liệu công dân trên máy này được mã hóa. Mã khôi phục của cơ quan:\n\n    {code}\n\n"
                     "Hãy ghi mã này ra giấy và cất nơi an toàn: phần mềm chỉ hiện nó một lần. Cần mã này để "
                     "khôi phục bản sao lưu trên máy khác hoặc sau khi cài lại Windows.")


RATINGS = {1: "Hài lòng", 2: "Bình thường", 3: "Không hài lòng"}  # = services.workflow.RATINGS


class Life:
    """The dossier's life in the dossier view: its history and the moves from its status."""

    HISTORY = "Quá trình giải quyết"
    HISTORY_COLUMNS = ("Thời điểm", "Việc", "Trạng thái", "Cán bộ", "Ghi chú")
    ACTIONS = "Việc tiếp theo"
    NO_ACTIONS = "Hồ sơ đã kết thúc: không còn việc nào để làm (vẫn in được giấy tờ)."
    HANDED_TO = "cho {unit}"
    MISSING = "Giấy tờ cần bổ sung: {items}"
    NEW_DUE = "hẹn trả mới {due}"
    RECIPIENT = "người nhận: {name}"
    RATED = "đánh giá: {rating}"
    # (key, button text with its Alt letter). Shown only when the status allows the move. The
    # letters differ from each other and from the menus' (T, H, C, G, Q): tests/ui/test_mnemonics.py.
    BUTTONS = {
        "handover": "&Bàn giao cho cán bộ / cơ quan",
        "supplement": "Yêu cầu bổ &sung (Mẫu 02)",
        "papers_back": "&Nhận đủ hồ sơ bổ sung",
        "financial": "&Yêu cầu nghĩa vụ tài chính",
        "financial_done": "Đã &xong nghĩa vụ tài chính",
        "done": "Có &kết quả",
        "return": "Trả kết q&uả",
        "withdraw": "Công dân &rút hồ sơ",
        "stop": "&Dừng giải quyết (Mẫu 05)",
        "extend": "Xin &lỗi và gia hạn (Mẫu 04)",
        "slip": "&In lại giấy hẹn (Ctrl+P)",
        "control": "In &phiếu kiểm soát (Mẫu 06)",
        "forms": "In &mẫu đã lập…",
    }
    FORM_NAMES = {"02": "Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
                  "03": "Mẫu 03 — Phiếu từ chối tiếp nhận",
                  "04": "Mẫu 04 — Văn bản xin lỗi và hẹn lại ngày trả",
                  "05": "Mẫu 05 — Thông báo dừng giải quyết hồ sơ",
                  "06": "Mẫu 06 — Phiếu kiểm soát quá trình giải quyết"}
    # What the message bar says once an action is done, by action key (counter_app/domain/actions.py).
    DONE_SAID = {
        "done": "Hồ sơ {code} đã có kết quả. Khi công dân đến, quét giấy hẹn để trả kết quả.",
        "handover": "Đã bàn giao hồ sơ {code} cho {unit}.",
        "supplement": "Đã ghi yêu cầu bổ sung hồ sơ {code}; thời hạn giải quyết tạm dừng.",
        "papers_back": "Đã nhận đủ hồ sơ bổ sung {code}. Thời hạn giải quyết tính lại từ đầu: hẹn trả mới {due}.",
        "financial": "Hồ sơ {code} chờ thực hiện nghĩa vụ tài chính.",
        "financial_done": "Hồ sơ {code} đã xong nghĩa vụ tài chính, tiếp tục giải quyết.",
        "withdraw": "Đã ghi công dân rút hồ sơ {code}.",
        "stop": "Đã dừng giải quyết hồ sơ {code}.",
        "extend": "Đã gia hạn hồ sơ {code}: hẹn trả mới {due}.",
    }
    OFFER_FORM = "{done}\n\nIn {form} ngay bây giờ?"
    OFFER_SLIP = "{done}\n\nIn lại giấy hẹn với ngày hẹn mới?"


class Act:
    """The small dialogs of the moves."""

    OK = "Ghi nhận (Ctrl+Enter)"
    CANCEL = "Hủy (Esc)"
    WORKING = "Đang ghi…"
    # The dialog of each action that asks something (counter_app/domain/actions.py), by key.
    TITLES = {
        "handover": "Bàn giao hồ sơ {code}",
        "supplement": "Yêu cầu bổ sung, hoàn thiện hồ sơ {code}",
        "withdraw": "Công dân rút hồ sơ {code}",
        "stop": "Dừng giải quyết hồ sơ {code}",
        "extend": "Xin lỗi và gia hạn hồ sơ {code} (một lần duy nhất)",
    }
    HINTS = {
        "supplement": "nội dung yêu cầu bổ sung, hoàn thiện (in trên Mẫu 02)",
        "withdraw": "lý do công dân rút hồ sơ",
        "stop": "lý do dừng giải quyết (in trên Mẫu 05)",
        "extend": "lý do chậm trả kết quả (in trên Mẫu 04)",
    }
    TO_UNIT = "Bàn giao cho"
    TO_UNIT_HINT = "cán bộ hoặc cơ quan giải quyết, ví dụ: Công chức Tư pháp – Hộ tịch"
    NOTE = "Ghi chú"
    REASON = "Lý do"
    MISSING = "Giấy tờ cần bổ sung"
    MISSING_HINT = "mỗi dòng một giấy tờ"
    CURRENT_DUE = "Hẹn trả hiện tại"
    NEW_DUE = "Hẹn trả mới"
    REFUSE = "Từ chối tiếp nhận hồ sơ"
    REFUSE_NOTE = ("Hồ sơ vẫn được cấp mã và ghi vào sổ với trạng thái 'Từ chối tiếp nhận'; "
                   "Phiếu từ chối (Mẫu 03) ghi lý do dưới đây.")
    REFUSE_HINT = "lý do từ chối theo quy định (in trên Mẫu 03)"
    NEED_REASON = "Cần ghi lý do."
    NEED_UNIT = "Cần ghi nơi nhận hồ sơ."


class Return:
    TAB = "Trả kết quả (F4)"
    EMPTY = "Quét mã vạch trên giấy hẹn của công dân (hoặc F4 rồi nhập mã hồ sơ) để trả kết quả."
    APPLICANT = "Người nộp"
    RESULT = "Kết quả của thủ tục"
    STATUS = "Trạng thái"
    DUE = "Hẹn trả"
    READY = "ĐÃ CÓ KẾT QUẢ — trả cho công dân"
    NOT_READY = "CHƯA CÓ KẾT QUẢ — hồ sơ đang ở trạng thái '{status}'. Hẹn trả: {due}."
    NOT_READY_OVERDUE = "CHƯA CÓ KẾT QUẢ và đã QUÁ HẠN — trạng thái '{status}'. Hẹn trả: {due}."
    PAUSED = "CHƯA CÓ KẾT QUẢ — đang chờ công dân bổ sung hồ sơ (thời hạn tạm dừng)."
    ENDED = "Hồ sơ đã kết thúc ở trạng thái '{status}': không có kết quả để trả."
    RETURNED = "ĐÃ TRẢ KẾT QUẢ cho {name}{relation} lúc {when}."
    JUST_RETURNED = "ĐÃ TRẢ KẾT QUẢ cho {name}{relation} lúc {when}. Hồ sơ chuyển sang 'Đã trả kết quả'."
    RECIPIENT = "Người nhận kết quả"
    NAME = "Họ tên &người nhận"
    ID_NUMBER = "&Số định danh"
    RELATION = "Quan hệ &với người nộp"
    RELATION_HINT = "chỉ ghi khi người nhận không phải người nộp, ví dụ: con, vợ, được ủy quyền"
    RATING = "Mức hài lòng (phím 1, 2, 3; không bắt buộc)"
    RATING_NONE = "Không đánh giá (0)"
    CONFIRM = "Xác nhận trả kết quả (Enter)"
    WORKING = "Đang ghi…"
    DETAILS = "Chi t&iết hồ sơ"
    MARK_READY = "Có &kết quả…"
    MARK_READY_ASK = ("Ghi hồ sơ {code} đã có kết quả?\n\nChỉ ghi khi kết quả đã ở quầy: sau bước này hồ sơ chỉ "
                      "còn việc trả kết quả cho công dân.")
    MARK_READY_OK = "Hồ sơ {code} đã có kết quả: kiểm tra người nhận rồi Enter để trả kết quả."
    BACK = "Quay lại (Esc)"
    NEED_RELATION = "Người nhận không phải người nộp: cần ghi quan hệ với người nộp (hoặc giấy ủy quyền)."
    RETURN_OK = "Đã trả kết quả hồ sơ {code} cho {name}."


class Attention:
    TAB = "Cần chú ý (F5)"
    TAB_COUNT = "Cần chú ý ({n}) (F5)"
    GROUPS = {"overdue": "Quá hạn", "due_today": "Đến hạn hôm nay", "due_24h": "Đến hạn trong 24 giờ tới",
              "awaiting_pickup": "Có kết quả, chờ công dân nhận quá {days} ngày"}
    COLUMNS = ("Mã hồ sơ", "Người nộp", "Điện thoại", "Thủ tục", "Hẹn trả", "Trạng thái", "Việc cần làm")
    TODO = {"extend": "Xin lỗi, gia hạn (Mẫu 04)", "done": "Ghi có kết quả", "handover": "Bàn giao xử lý",
            "return": "Báo công dân đến nhận", "papers_back": "Nhận hồ sơ bổ sung"}
    HINT = "Enter hoặc nhấp đúp: mở hồ sơ với việc cần làm đã chọn sẵn. F5: tải lại."
    PICKUP_DAYS = "Chờ nhận quá"
    PICKUP_SUFFIX = " ngày"
    RELOAD = "Tải lại (F5)"
    LOADING = "Đang tải…"
    NOTHING = "Không có hồ sơ nào cần chú ý. Tốt lắm!"
    SUMMARY = "{overdue} quá hạn · {today} đến hạn hôm nay · {soon} đến hạn trong 24 giờ · {pickup} chờ nhận"
    UPDATED = "Cập nhật lúc {time}"


class Printing:
    TITLE = "Xem trước và in — {what}"
    SLIP = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01) — {code}"
    FORM = "{form} — {code}"
    PAPER = "&Khổ giấy"
    PAPERS = (("a5", "A5 (mỗi liên một tờ)"), ("a4-2up", "A4 ngang, hai liên trên một tờ"))
    COPIES = "Số &bản"
    PRINTER = "&Máy in"
    TO_FILE = "Lưu thành tệp PDF…"
    NO_PRINTER = "(máy này chưa có máy in nào)"
    PRINT = "&In (Enter)"
    CLOSE = "Đóng (Esc)"
    PAGES = "{n} trang"
    LOADING = "Đang tạo giấy tờ…"
    PRINTING = "Đang in {n} bản trên {printer}…"
    SAVING = "Đang lưu tệp PDF…"
    PRINTED = "Đã gửi {n} bản {what} tới máy in {printer}."
    SAVED = "Đã lưu {what} thành tệp {path}."
    SAVE_TITLE = "Lưu giấy tờ thành tệp PDF"
    PRINTER_GONE = ("Không tìm thấy máy in '{printer}' (đã tắt, rút cáp hoặc bị gỡ khỏi máy?). Chưa in được gì; "
                    "kiểm tra máy in hoặc chọn máy in khác rồi in lại.")
    PRINTER_FAILED = ("Máy in '{printer}' ngừng giữa chừng ở trang {page}. Kiểm tra máy in (giấy, cáp, nguồn), "
                      "bỏ lệnh in dở trong hàng đợi rồi in lại.")
    NO_PRINTER_CHOSEN = "Chưa chọn máy in: chọn một máy in, hoặc lưu thành tệp PDF."
    PDF_UNREADABLE = "Không đọc được giấy tờ vừa tạo để in ({error})."
    POSTER_PAPERS = (("a4", "A4 dọc"), ("a5", "A5 dọc"))


class Posters:
    """The Niêm yết thủ tục screen (ui/views/poster_view.py)."""

    TAB = "Niêm yết thủ tục (F7)"
    ACT = "Niêm yết thủ tục"
    SEARCH = "Tì&m thủ tục"
    SEARCH_HINT = "Gõ mã hoặc tên thủ tục (không dấu cũng được), mũi tên lên/xuống, Enter để xem trước"
    FIELD = "&Lĩnh vực"
    EVERY_FIELD = "Mọi lĩnh vực"
    PREVIEW = "&Xem trước và in tờ niêm yết (Enter)"
    BATCH = "In tờ niêm yết cả lĩnh &vực"
    BATCH_EVERY = "In tờ niêm yết mọi thủ tục (&v)"
    LISTING = "In &danh mục niêm yết"
    COUNT = "{n} thủ tục"
    NO_MATCH = "Không có thủ tục nào khớp với '{query}'."
    NOTHING_CHOSEN = "Chưa chọn thủ tục: gõ mã hoặc tên để tìm."
    INTRO = ("Tờ niêm yết in tên thủ tục, giấy tờ cần mang theo, thời hạn, lệ phí, nơi và giờ nộp hồ sơ, "
             "cùng mã QR dẫn tới trang của thủ tục. Danh mục niêm yết liệt kê mọi thủ tục theo lĩnh vực.")


class Digitise:
    """The digitise panel (ui/views/scan_inbox.py) and the hot folder (ui/digitise_watch.py)."""

    ACT = "Số hóa giấy tờ của hồ sơ"
    TAB = "Số hóa {code}"
    TITLE = "Số hóa giấy tờ — hồ sơ {code}"
    NO_DOSSIER = "Hãy mở một hồ sơ (F4 hoặc F3) rồi nhấn F8 để số hóa giấy tờ của hồ sơ đó."
    INBOX = "Trang đã quét ({n})"
    INBOX_EMPTY = ("Chưa có trang nào. Quét giấy tờ vào thư mục máy quét, mở tệp (Ctrl+O) "
                   "hoặc kéo thả tệp PDF, JPEG, PNG, TIFF vào đây.")
    HOT_FOLDER = "Thư mục máy quét: {folder}"
    HOT_FOLDER_NONE = "Chưa chọn thư mục máy quét (Cài đặt › Thư mục quét để số hóa…)."
    HOT_FOLDER_MENU = "Thư mục quét để &số hóa…"
    HOT_FOLDER_ASK = "Thư mục phần mềm máy quét lưu các trang quét"
    PREVIEW = "Xem trang"
    PREVIEW_NONE = "Chọn một trang để xem lớn."
    SLOTS = "Thành phần hồ sơ"
    SLOT = "{index}. {name}"
    SLOT_OTHER = "0. {name}"
    SLOT_RESULT = "Kết quả: {name}"
    SLOT_KEPT = " — đã số hóa ({pages} trang)"
    SLOT_PAGES = " — {n} trang chờ lưu"
    PAGE = "{n}. {name}"
    PAGE_PART = "{n}. {name} · tr. {page}"
    TO_COMPONENT = "→ thành phần {index}"
    TO_OTHER = "→ giấy tờ khác"
    TO_RESULT = "→ kết quả"
    PAGE_FREE = "chưa gán"
    ADD = "&Mở tệp… (Ctrl+O)"
    ADD_TITLE = "Chọn các trang giấy tờ"
    ADD_FILTER = "Trang giấy tờ (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)"
    SAVE = "&Lưu bản số (Ctrl+Enter)"
    BACK = "&Về hồ sơ (F8)"
    SIGN = "&Ký số bản sao điện tử (USB ký số của cơ quan)"
    PIN_ASK = "Nhập mã PIN của USB ký số để ký {n} bản số hóa (mã PIN không được lưu lại):"
    PIN_CANCELLED = "Chưa lưu: cần mã PIN để ký. Bỏ chọn «Ký số» để lưu không ký."
    SIGN_STOPPED = "Dừng ký để không khóa USB ký số vì nhập sai PIN: {n} giấy tờ còn lại chưa lưu."
    STILL_WAITING = ("Trang của giấy tờ chưa lưu vẫn ở mục «Trang đã quét», không mất trang nào: "
                     "sửa lỗi rồi nhấn Ctrl+Enter để lưu lại.")
    KEYS = ("1–9: gán trang vào thành phần số 1–9 · 0: Giấy tờ khác · R / Shift+R: xoay phải / trái · "
            "Ctrl+↑ / Ctrl+↓: đưa trang lên / xuống · Delete: bỏ trang · Ctrl+O: mở tệp · "
            "Ctrl+Enter: lưu bản số · F8: về hồ sơ")
    NO_SUCH_SLOT = "Hồ sơ {code} không có thành phần số {n}."
    NOTHING_TO_SAVE = "Chưa có trang nào được gán vào thành phần hồ sơ: chọn trang rồi nhấn số của thành phần (1–9, 0)."
    SAVING = "Đang lưu bản số…"
    SAVED = "Đã lưu bản số: {names}."
    SAVED_NOTES = " Lưu ý: {notes}"
    LOADING = "Đang đọc {name}…"
    # Reading a file into the inbox (ui/digitise_pages.py)
    GONE = "Tệp {name} đã bị xóa hoặc chuyển đi trong khi đang đọc: bỏ qua tệp này, hãy quét lại nếu cần."
    TOO_BIG = "Tệp {name} lớn hơn {mb} MB: không nhận. Hãy quét lại ở độ phân giải thấp hơn."
    UNREADABLE = "Không đọc được tệp {name}: {why}."
    NOT_PAGES = "Tệp {name} không phải là PDF, JPEG, PNG hay TIFF: không nhận."
    BAD_IMAGE = "Ảnh {name} bị hỏng, không đọc được ({why}): không nhận, hãy quét lại."
    BAD_PDF = "Tệp PDF {name} bị hỏng hoặc không có trang nào: không nhận."
    PDF_PASSWORD = "Tệp PDF {name} có mật khẩu mở: không nhận. Hãy quét lại bản giấy."
    # The dossier view's list of digitised papers
    KEPT = "Đã số hóa"
    KEPT_NONE = "Chưa có giấy tờ nào được số hóa (F8 để số hóa)."
    KEPT_ROW = "{name}: {pages} trang, {size}"
