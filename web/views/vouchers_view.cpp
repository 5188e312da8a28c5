// vouchers_view.cpp: the vouchers screen. Not built yet: says what it will do.
#include "views/views.hpp"

namespace loyalty::console {

ViewRequest VouchersView::draw(Ui& ui) { return draw_coming_soon(ui, Screen::vouchers); }

}  // namespace loyalty::console
