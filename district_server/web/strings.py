"""Every Vietnamese sentence of the web face, in one place to review together (docs/server-web.md)."""

from __future__ import annotations

from counter_app import clock
from counter_app.domain.vn_time import vn_short_datetime
from counter_app.services.digitisation_stats import INTAKE_LABEL, RESULT_LABEL

SITE = "Quầy Một Cửa — huyện"

# --- the citizen's status page (/tra-cuu) ----------------------------------------------------------
LOOKUP_TITLE = "Tra cứu tình trạng hồ sơ"
LOOKUP_PROMPT = "Nhập mã hồ sơ in trên Giấy tiếp nhận và hẹn trả kết quả (hoặc quét mã QR trên giấy)."
LOOKUP_FIELD = "Mã hồ sơ"
LOOKUP_EXAMPLE = "Ví dụ: 000.00.20.H12-261202-0001"
LOOKUP_BUTTON = "Tra cứu"
LOOKUP_BAD_CODE = ("Mã hồ sơ '{code}' không đúng dạng. Mã có dạng 000.00.20.H12-261202-0001 "
                   "(mã cơ quan - ngày nhận yymmdd - số thứ tự), in trên Giấy tiếp nhận.")
LOOKUP_EMPTY = "Hãy nhập mã hồ sơ."
LOOKUP_NOT_FOUND = ("Chưa tìm thấy hồ sơ mã {code} trên máy chủ huyện. Nếu hồ sơ mới nộp, dữ liệu có thể chưa "
                    "được gửi lên; hãy thử lại sau hoặc hỏi bộ phận một cửa nơi nộp hồ sơ.")
LOOKUP_TOO_MANY = "Bạn tra cứu quá nhiều lần trong một phút. Hãy đợi {seconds} giây rồi thử lại."
LOOKUP_AGAIN = "Tra cứu hồ sơ khác"
LOOKUP_PRIVACY = "Trang này chỉ hiện tên viết tắt của người nộp; không hiện giấy tờ hay thông tin cá nhân khác."
F_CODE = "Mã hồ sơ"
F_PROCEDURE = "Thủ tục"
F_APPLICANT = "Người nộp"
F_RECEIVED = "Ngày tiếp nhận"
F_DUE = "Hẹn trả kết quả"
F_STATUS = "Tình trạng"
F_RESULT = "Kết quả"
F_RETURNED = "Đã trả kết quả lúc"
RESULT_READY = "Đã có kết quả — mời đến bộ phận một cửa nhận (mang theo Giấy tiếp nhận)."
RESULT_HANDED = "Đã trả kết quả."
RESULT_NOT_YET = "Chưa có kết quả."
RESULT_NONE = "Hồ sơ đã kết thúc, không có kết quả để nhận."

# --- the procedures made public (/thu-tuc), the same content as the posters ------------------------
PROC_TITLE = "Thủ tục hành chính"
PROC_PROMPT = "Tìm thủ tục theo tên hoặc mã (gõ có dấu hay không dấu đều được), hoặc chọn lĩnh vực."
PROC_SEARCH_FIELD = "Tên hoặc mã thủ tục"
PROC_EXAMPLE = "Ví dụ: khai sinh, chung thuc, 1.001193"
PROC_FIELD = "Lĩnh vực"
PROC_ALL_FIELDS = "Mọi lĩnh vực"
PROC_BUTTON = "Tìm"
PROC_FOUND = "{n} thủ tục"
PROC_NONE = "Không có thủ tục nào khớp '{q}'. Hãy thử ít chữ hơn hoặc bỏ chọn lĩnh vực."
PROC_QUERY_LONG = "Từ tìm kiếm dài quá {limit} ký tự; hãy gõ ngắn hơn."
PROC_NOT_FOUND = ("Không có thủ tục mã '{code}' trong danh mục đang công bố. Có thể danh mục đã thay đổi "
                  "sau khi tờ niêm yết được in; hãy tìm lại thủ tục trong danh sách.")
PROC_TIME = "Thời hạn giải quyết"
PROC_FEE = "Phí, lệ phí"
PROC_CODE = "Mã thủ tục"
PROC_PAPERS = "Giấy tờ cần mang theo"
PROC_NO_PAPERS = "Danh mục chưa ghi giấy tờ cần nộp; xin hỏi tại nơi nộp hồ sơ."
PROC_PAPERS_HINT = "Đánh dấu từng giấy tờ khi đã chuẩn bị xong."
PROC_WHERE = "Nơi nộp hồ sơ"
PROC_WHERE_TEXT = "Bộ phận Một cửa của Ủy ban nhân dân xã, phường nơi thực hiện thủ tục."
PROC_HOURS = "Thời gian tiếp nhận"
PROC_BACK = "Xem mọi thủ tục"
PROC_STAMP = "Danh mục thủ tục phiên bản {version}"
PROC_OFFICE = "Danh mục của đơn vị {agency}: thủ tục của huyện và thủ tục riêng của đơn vị."
PROC_OWN = "Thủ tục riêng của đơn vị {agency}"
PROC_CHOOSE_OFFICE = "Thủ tục mã '{code}' là thủ tục riêng của nhiều đơn vị; hãy chọn đơn vị:"
PROC_STAMP_DATE = ", cập nhật ngày {date}"

# --- the staff dashboard (/quan-tri/) -------------------------------------------------------------
DASH = "Quản trị — máy chủ huyện"
LOGIN_EXPIRED = "Trang đăng nhập đã cũ (hoặc trình duyệt chặn cookie); hãy đăng nhập lại."
LOGIN_TOO_MANY = "Có quá nhiều lần đăng nhập từ máy này; hãy đợi {seconds} giây rồi thử lại."
FORBIDDEN = "Tài khoản vai trò '{role}' không được làm việc này; hãy nhờ quản trị viên huyện."
CSRF_FAILED = "Biểu mẫu đã cũ hoặc không phải từ trang quản trị; hãy mở lại trang rồi làm lại."
TOKEN_ISSUED = "Đã cấp mã cho quầy {counter} của {agency}. Mã chỉ hiện một lần: hãy chép ngay vào máy quầy."
TOKEN_REVOKED = "Đã thu hồi mã của máy quầy {label}."
NO_SUCH_DEVICE = "Không có máy quầy này đang hoạt động (có thể đã bị thu hồi)."
BAD_COUNTER = "Số quầy phải là một chữ số từ 0 đến 9."
SEARCH_SHORT = "Hãy nhập ít nhất 2 ký tự: mã hồ sơ, họ tên người nộp hoặc số định danh."
SEARCH_NONE = "Không có hồ sơ nào khớp '{q}'."
SEARCH_MORE = "Chỉ hiện {n} hồ sơ đầu tiên; hãy gõ cụ thể hơn."
NO_SUCH_DOSSIER = "Không có hồ sơ mã {code} trên máy chủ huyện."
NO_SUCH_FILE = "Máy chủ huyện chưa có tệp này (máy quầy chưa gửi xong, hoặc không hồ sơ nào nhắc đến nó)."
BAD_STATUS = "Trạng thái mới không hợp lệ."
STATUS_MOVED = "Đã chuyển hồ sơ {code} sang '{status}'."
BREAK_RESOLVED = "Đã đánh dấu chỗ đứt nhật ký thao tác số {id} là đã xử lý."
NO_SUCH_BREAK = "Không có chỗ đứt nhật ký thao tác số {id} đang mở (hoặc đã được xử lý)."
AUDIT_HEAD = "mục số {seq}, mã {hash}…, báo lúc {at}"
AUDIT_NO_HEAD = "Chưa báo"
AUDIT_BREAKS_OPEN = "{n} chỗ đứt chưa xử lý"
WAITING = "{n} sự kiện đang chờ (báo lúc {at})"
WAITING_OLDEST = "sự kiện cũ nhất đã chờ {age}"
WAITING_NOT_REPORTED = "Chưa báo"
WAITING_STALE = "Đã lâu không báo: số liệu có thể đã cũ"
OWN_PROCEDURES = "Thủ tục riêng của đơn vị ({n})"
OWN_PROCEDURES_NONE = "Đơn vị chưa gửi thủ tục riêng nào."
OWN_PROCEDURE_BY = "quầy {counter}, {officer}, lúc {at}"
REVIEW_RESOLVED = "Đã đánh dấu mục chờ kiểm tra số {id} là đã xử lý."
NO_SUCH_REVIEW = "Không có mục chờ kiểm tra số {id} (hoặc đã được xử lý)."
PUBLISH_NO_FILE = "Hãy chọn tệp danh mục hoặc lịch nghỉ lễ."
PUBLISH_TOO_BIG = "Tệp quá lớn (tối đa {mb} MB)."
PUBLISH_BAD_JSON = "Tệp lịch nghỉ lễ phải là JSON UTF-8 hợp lệ."
PUBLISHED = "Đã phát hành {what} (số {seq}); máy quầy nhận được ở lần đồng bộ tới."
# The statistics page's table of offices; the digitisation indicators named as the counter's report names them.
STATS_OFFICE_COLUMNS = ("Đơn vị", "Tiếp nhận", "Đã giải quyết", "Quá hạn", "Đang giải quyết quá hạn",
                        "Tỷ lệ đúng hạn (QĐ 766, %)", f"{INTAKE_LABEL} (%)", f"{RESULT_LABEL} (%)")
BAD_PERIOD = "Kỳ thống kê không hợp lệ: chọn tháng, quý hoặc năm và một năm từ 2000 đến 2100."

EMPTY = "(trống)"
NO_RATE = "—"

# --- errors of any page ----------------------------------------------------------------------------
NOT_FOUND_PAGE = "Không có trang này."
BAD_REQUEST = "Yêu cầu không được chấp nhận (HTTP {status})."
BAD_FORM = "Dữ liệu gửi lên không hợp lệ: {what}."
FIELD_TOO_LONG = "Ô '{what}' dài quá {limit} ký tự."


def age(seconds: int | None) -> str:
    """How long something waited, in the largest unit that fits: 'dưới 1 phút', '45 phút', '3 giờ', '2 ngày'."""
    if seconds is None:
        return ""
    if seconds < 60:
        return "dưới 1 phút"
    if seconds < 3600:
        return f"{seconds // 60} phút"
    if seconds < 86400:
        return f"{seconds // 3600} giờ"
    return f"{seconds // 86400} ngày"


def when(value: str | None) -> str:
    """An ISO time as '10:00 13/02/2026' in Vietnam time; '' for none, the text itself if unreadable."""
    if not value:
        return ""
    try:
        return vn_short_datetime(clock.parse_iso(value))
    except ValueError:
        return value

