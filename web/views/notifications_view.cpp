// notifications_view.cpp: the notifications screen. Not built yet: says what it will do.
#include "views/views.hpp"

namespace loyalty::console {

ViewRequest NotificationsView::draw(Ui& ui) { return draw_coming_soon(ui, Screen::notifications); }

}  // namespace loyalty::console
