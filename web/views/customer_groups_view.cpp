// customer_groups_view.cpp: the customer groups screen. Not built yet: says what it will do.
#include "views/views.hpp"

namespace loyalty::console {

ViewRequest CustomerGroupsView::draw(Ui& ui) { return draw_coming_soon(ui, Screen::customer_groups); }

}  // namespace loyalty::console
