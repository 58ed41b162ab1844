"""Vietnamese snippets for synthetic notes: plausible field notes, obviously not about anyone real."""

from __future__ import annotations

CONTACT_NOTES = (
    "Tư vấn về dịch vụ y tế miễn phí tại trạm y tế phường.",
    "Chia sẻ về áp lực tài chính, hẹn gặp lại tuần sau.",
    "Giới thiệu lớp học nghề may, chị quan tâm.",
    "Cung cấp thông tin về xét nghiệm HIV tự nguyện.",
    "Hướng dẫn thủ tục làm lại giấy tờ tùy thân.",
    "Trao đổi về quyền của người lao động khi bị giữ lương.",
    "Chị kể bị bạo lực, đã giới thiệu đường dây nóng hỗ trợ.",
    "Gặp tại điểm sinh hoạt nhóm, tham gia đầy đủ.",
    "Gọi điện hỏi thăm, sức khỏe ổn định.",
    "Hỗ trợ tâm lý ngắn, chị bình tĩnh hơn sau buổi nói chuyện.",
    "Nhắc lịch hẹn khám, chị xác nhận sẽ đi.",
    "Phát tài liệu truyền thông và bao cao su.",
    "Tư vấn về trợ cấp xã hội cho con nhỏ.",
    "Chị muốn tìm việc làm ổn định, đã ghi nhận nhu cầu.",
    "Trao đổi qua Zalo, hẹn gặp trực tiếp.",
)
FOLLOW_UP_NOTES = (
    "Cần theo dõi kết quả khám.",
    "Hẹn đi cùng đến trung tâm.",
    "Kiểm tra lại hồ sơ trợ cấp.",
    "",
)
ELIGIBILITY_BASES = (
    "Thuộc diện hộ nghèo theo xác nhận của phường.",
    "Có nhu cầu và đủ điều kiện theo hướng dẫn của chương trình.",
    "Đang nuôi con nhỏ một mình.",
    "Chưa có việc làm ổn định, trong độ tuổi lao động.",
    "Cần hỗ trợ pháp lý về giấy tờ tùy thân.",
    "Không thuộc đối tượng hỗ trợ của dịch vụ này.",
)
REFERRAL_NOTES = (
    "Đã gọi điện báo trước cho cán bộ tiếp nhận.",
    "Chị cần người đi cùng buổi đầu.",
    "Ưu tiên lịch hẹn buổi chiều.",
    "Mang theo bản sao giấy tờ tùy thân.",
)
CLIENT_NOTES = (
    "Liên hệ qua điện thoại vào buổi tối.",
    "Thích gặp ở quán cà phê gần chợ.",
    "Không muốn nhận tin nhắn.",
)
NICKNAMES = ("Út", "Bé", "Nhỏ", "Xíu", "Mít", "Su", "Bông", "Na", "Mận", "Cúc")
FEMALE_MIDDLE = ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Mai", "Hồng", "Kim")
MALE_MIDDLE = ("Văn", "Văn", "Đức", "Minh", "Quang", "Hữu")
STREETS = ("Bà Triệu", "Phạm Hùng", "Thống Nhất", "Tự Do", "Lê Lợi", "Trần Phú", "Nguyễn Trãi", "Kim Mã")
