"""What the officer reads on the log-in, accounts, backup, audit and report screens, in one place."""

from __future__ import annotations

APP = "Quầy Một Cửa"


class Login:
    TITLE = "Đăng nhập — " + APP
    LOCK_TITLE = "Màn hình đã khóa — " + APP
    HEADING = "Đăng nhập"
    LOCK_HEADING = "Màn hình đã khóa"
    INTRO = "Nhập tên đăng nhập và mật khẩu được quản trị cấp."
    LOCK_INTRO = ("Không có thao tác trong {minutes} phút nên màn hình đã khóa. Thông tin đang nhập vẫn "
                  "được giữ nguyên: đăng nhập lại để làm tiếp.")
    LOCK_INTRO_MANUAL = "Màn hình đã khóa. Thông tin đang nhập vẫn được giữ nguyên: đăng nhập lại để làm tiếp."
    USERNAME = "Tên đăng nhập"
    PASSWORD = "Mật khẩu"
    OK = "Đăng nhập"
    CHECKING = "Đang kiểm tra…"
    QUIT = "Thoát"
    WAIT = "Thử lại sau {n} giây"
    NEED_BOTH = "Cần nhập tên đăng nhập và mật khẩu."
    CURTAIN = "Đăng nhập để làm việc"
    CURTAIN_LOCKED = "Màn hình đã khóa"


class Account:
    FIRST_TITLE = "Tạo tài khoản quản trị — " + APP
    FIRST_HEADING = "Chào mừng đến với Quầy Một Cửa"
    FIRST_INTRO = ("Máy này chưa có tài khoản nào. Hãy tạo tài khoản quản trị đầu tiên: người quản trị sẽ "
                   "tạo tài khoản cho từng cán bộ tiếp nhận và lãnh đạo.")
    ADD_TITLE = "Thêm tài khoản cán bộ — " + APP
    ADD_HEADING = "Thêm tài khoản cán bộ"
    USERNAME = "Tên đăng nhập"
    USERNAME_HINT = "chữ thường không dấu, ví dụ: cb.an"
    FULL_NAME = "Họ và tên"
    FULL_NAME_HINT = "ví dụ: Nguyễn Thị An"
    ROLE = "Vai trò"
    PASSWORD = "Mật khẩu"
    PASSWORD_HINT = "ít nhất 8 ký tự"
    REPEAT = "Nhập lại mật khẩu"
    MISMATCH = "Hai lần nhập mật khẩu chưa giống nhau."
    CREATE = "Tạo tài khoản"
    SAVING = "Đang lưu…"
    CANCEL = "Hủy"
    QUIT = "Thoát"


class Password:
    TITLE = "Đổi mật khẩu — " + APP
    HEADING = "Đổi mật khẩu của {name}"
    OLD = "Mật khẩu hiện tại"
    NEW = "Mật khẩu mới"
    REPEAT = "Nhập lại mật khẩu mới"
    OK = "Đổi mật khẩu"
    CANCEL = "Hủy"
    DONE = "Đã đổi mật khẩu."


class Accounts:
    TITLE = "Tài khoản cán bộ — " + APP
    HEADING = "Tài khoản cán bộ"
    INTRO = ("Quản trị thêm tài khoản, đổi vai trò và khóa tài khoản của người đã nghỉ. Tài khoản bị khóa "
             "không đăng nhập được nhưng tên vẫn còn trong nhật ký và sổ theo dõi.")
    COLUMNS = ("Tên đăng nhập", "Họ và tên", "Vai trò", "Trạng thái")
    ACTIVE = "Đang hoạt động"
    DISABLED = "Đã khóa"
    ADD = "Thêm tài khoản…"
    DISABLE = "Khóa tài khoản"
    ENABLE = "Mở khóa tài khoản"
    CLOSE = "Đóng"
    ROLE_CHANGED = "Đã đổi vai trò của {user} thành {role}."
    ADDED = "Đã tạo tài khoản {user} ({role})."
    DISABLED_DONE = "Đã khóa tài khoản {user}."
    ENABLED_DONE = "Đã mở khóa tài khoản {user}."
    CONFIRM_DISABLE = "Khóa tài khoản {user}? Người này sẽ không đăng nhập được nữa."


class Menu:
    ADMIN = "&Quản trị"
    REPORTS = "Báo cáo thống kê"
    AUDIT = "Nhật ký thao tác"
    ACCOUNTS = "Tài khoản cán bộ…"
    BACKUP_NOW = "Sao lưu ngay"
    BACKUP_FOLDER = "Thư mục sao lưu…"
    IDLE = "Thời gian tự khóa màn hình…"
    RESTORE = "Khôi phục từ bản sao lưu…"
    PASSWORD = "Đổi mật khẩu…"
    LOCK = "Khóa màn hình"
    LOGOUT = "Đăng xuất (đổi cán bộ)"
    SETTINGS = "Cài đặt cơ quan…"
    TAB_REPORTS = "Báo cáo thống kê"
    TAB_AUDIT = "Nhật ký thao tác"


class Backup:
    STATUS_NONE = "Sao lưu: chưa có"
    STATUS_RUNNING = "Sao lưu: đang chạy…"
    STATUS_AT = "Sao lưu: {when}"
    STATUS_FAILED = "Sao lưu: LỖI"
    DONE = "Đã sao lưu vào {path} ({size})."
    FAILED = "Chưa sao lưu được: {message}"
    CHOOSE_FOLDER = "Chọn thư mục sao lưu (có thể là ổ USB)"
    FOLDER_SET = "Từ nay bản sao lưu tự động được ghi vào {folder}."
    IDLE_ASK = "Tự khóa màn hình sau bao nhiêu phút không thao tác?"
    IDLE_SET = "Màn hình sẽ tự khóa sau {n} phút không thao tác (áp dụng từ lần đăng nhập sau)."
    RESTORE_HOW = (
        "Khôi phục thay toàn bộ dữ liệu hiện tại bằng một bản sao lưu, nên chỉ làm khi cửa sổ này đã đóng:\n\n"
        "1. Đóng Quầy Một Cửa trên máy này.\n"
        "2. Mở cửa sổ dòng lệnh và chạy:\n"
        "      counter-app restore \"{example}\"\n"
        "   và gõ cụm mật khẩu khôi phục của cơ quan khi được hỏi (bản sao lưu được mã hóa bằng nó).\n"
        "3. Mở lại Quầy Một Cửa.\n\n"
        "Phần mềm kiểm tra bản sao lưu trước khi làm gì, và giữ lại kho dữ liệu hiện tại thành một bản "
        "sao lưu trong {default}.\n\nThư mục sao lưu đang dùng: {folder}"
    )


class Audit:
    HEADING = "Nhật ký thao tác"
    INTRO = "Ai đã làm gì, lúc nào — mới nhất ở trên. Mỗi mục được nối với mục trước bằng mã băm."
    COLUMNS = ("Số", "Thời gian", "Người thực hiện", "Thao tác", "Đối tượng", "Chi tiết")
    NEWEST = "Mới nhất"
    NEWER = "‹ Trang trước"
    OLDER = "Trang sau ›"
    RELOAD = "Tải lại"
    VERIFY = "Kiểm tra toàn vẹn"
    VERIFYING = "Đang kiểm tra toàn bộ nhật ký…"
    PAGE = "Trang {page} · mục {first}–{last}"
    EMPTY = "Chưa có mục nào."
    LOADING = "Đang tải…"
    ACTIONS = {
        "intake": "Tiếp nhận hồ sơ",
        "move": "Chuyển trạng thái",
        "return": "Trả kết quả",
        "login": "Đăng nhập",
        "login.failed": "Đăng nhập sai",
        "account.create": "Tạo tài khoản",
        "account.disable": "Khóa tài khoản",
        "account.enable": "Mở khóa tài khoản",
        "account.password": "Đổi mật khẩu",
        "account.role": "Đổi vai trò",
        "office.init": "Khai báo cơ quan",
        "catalogue.import": "Nhập danh mục thủ tục",
        "calendar.set_day": "Sửa lịch làm việc",
        "calendar.clear_day": "Xóa ngày trong lịch",
        "calendar.replace_year": "Thay lịch cả năm",
        "print.slip": "In giấy hẹn",
        "print.form": "In biểu mẫu",
        "print.poster": "In tờ niêm yết thủ tục",
        "print.listing": "In danh mục niêm yết",
        "settings.put": "Đổi cài đặt",
        "backup": "Sao lưu",
        "report.export": "Xuất báo cáo",
        "sync_link": "Kết nối máy chủ huyện",
        "sync_pull": "Nhận cập nhật từ huyện",
    }
    SYSTEM = "hệ thống"


class Report:
    HEADING = "Báo cáo thống kê"
    KIND = "Kỳ báo cáo"
    KINDS = ("Tháng", "Quý", "Năm", "Khoảng ngày")
    MONTH = "Tháng {n}"
    QUARTER = "Quý {n}"
    FROM = "Từ ngày"
    TO = "đến ngày"
    SHOW = "Xem"
    XLSX = "Xuất Excel…"
    PDF = "Xuất PDF…"
    LOADING = "Đang tính…"
    PERIOD = "Từ {a:%d/%m/%Y} đến {b:%d/%m/%Y}"
    HEADLINE = ("Tiếp nhận <b>{received}</b> · Đã giải quyết <b>{resolved}</b> · "
                "Tỷ lệ đúng hạn (QĐ 766) <b>{rate}</b>")
    FIGURE_COLUMNS = ("Chỉ tiêu", "Số hồ sơ", "Tỷ lệ (%)")
    GROUP_COLUMNS = ("Lĩnh vực", "Tiếp nhận", "Đã giải quyết", "Trước hạn", "Đúng hạn", "Quá hạn",
                     "Trước và đúng hạn (%)")
    PROC_COLUMNS = ("Mã", "Tên thủ tục", "Tiếp nhận", "Đã giải quyết", "Trước hạn", "Đúng hạn", "Quá hạn",
                    "Trước và đúng hạn (%)")
    BY_FIELD = "Theo lĩnh vực"
    BY_PROCEDURE = "Theo thủ tục"
    CHART = "Theo tuần"
    SAVE_XLSX = "Lưu báo cáo Excel"
    SAVE_PDF = "Lưu báo cáo PDF"
    EXPORTING = "Đang ghi {name}…"
    EXPORTED = "Đã ghi báo cáo {path} ({n} hồ sơ trong sổ)."
    FILE_NAME = "bao-cao-{a:%Y%m%d}-{b:%Y%m%d}.{ext}"
    NO_RATE = "—"


class Chart:
    RECEIVED = "Tiếp nhận"
    RESOLVED = "Đã giải quyết"
    RATE = "Tỷ lệ trước và đúng hạn (%)"
    EMPTY = "Không có hồ sơ nào trong kỳ này."
    WEEK = "Tuần bắt đầu"


class Instance:
    ALREADY_OPEN = ("Quầy Một Cửa đang mở trên máy này (cùng kho dữ liệu {folder}).\n\n"
                    "Hãy dùng cửa sổ đang mở; chỉ một cửa sổ được làm việc với một kho dữ liệu.")


class Status:
    OFFICER = "Cán bộ: {name} ({role})"
    NOBODY = "Chưa đăng nhập"


class Settings:
    TITLE = "Cài đặt cơ quan — " + APP
    INTRO = "Các cài đặt dùng chung của bộ phận một cửa. Mỗi thay đổi được ghi vào nhật ký thao tác."
    SAVE = "&Lưu"
    CLOSE = "Đó&ng"
    BROWSE = "Chọn…"
    SAVED = "Đã lưu cài đặt của cơ quan."
    LOADING = "Đang đọc cài đặt…"
    NOTHING_CHANGED = "Không có gì thay đổi."


class Logout:
    DISCARD_INTAKE = ("Hồ sơ đang nhập dở chưa được lưu. Đăng xuất sẽ bỏ hồ sơ này.\n\n"
                      "Vẫn đăng xuất?")
    NOT_ALLOWED = "Tài khoản {name} không có quyền dùng chức năng này."
