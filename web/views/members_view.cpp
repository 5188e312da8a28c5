// members_view.cpp: the members screen. Not built yet: says what it will do.
#include "views/views.hpp"

namespace loyalty::console {

ViewRequest MembersView::draw(Ui& ui) { return draw_coming_soon(ui, Screen::members); }

}  // namespace loyalty::console
