; Quầy Một Cửa's own installer texts, in Vietnamese (NSIS's Vietnamese.nlf and Vietnamese.nsh give
; the standard wizard's). Included by QuayMotCua.nsi after MUI_LANGUAGE "Vietnamese". UTF-8 with BOM.

LangString ShortcutComment ${LANG_VIETNAMESE} "Tiếp nhận và trả kết quả hồ sơ"
LangString CommandLineShortcut ${LANG_VIETNAMESE} "Dòng lệnh Quầy Một Cửa (quản trị)"
LangString DataInsideProgram ${LANG_VIETNAMESE} "Không cài được vào $INSTDIR: thư mục chương trình không được trùng, chứa hoặc nằm trong thư mục dữ liệu $LOCALAPPDATA\QuayMotCua. Hãy chọn thư mục khác."
LangString CloseTheProgram ${LANG_VIETNAMESE} "Quầy Một Cửa đang mở. Hãy đóng cửa sổ chương trình (dữ liệu đã được lưu) rồi bấm Thử lại."
LangString KeptAfterUninstall ${LANG_VIETNAMESE} "Đã gỡ chương trình. Kho dữ liệu hồ sơ và các bản sao lưu vẫn được giữ nguyên ở:$\r$\n$\r$\n$LOCALAPPDATA\QuayMotCua$\r$\n$\r$\nCài lại Quầy Một Cửa sẽ dùng tiếp kho dữ liệu này. Chỉ xóa thư mục đó khi chắc chắn không cần dữ liệu nữa (sao lưu trước)."
LangString NotOurFolder ${LANG_VIETNAMESE} "Thư mục $INSTDIR không phải thư mục chương trình Quầy Một Cửa: không xóa gì."
LangString Publisher ${LANG_VIETNAMESE} "Bộ phận tiếp nhận và trả kết quả"
