// wallet_tiers_view.cpp: the wallet tiers screen. Not built yet: says what it will do.
#include "views/views.hpp"

namespace loyalty::console {

ViewRequest WalletTiersView::draw(Ui& ui) { return draw_coming_soon(ui, Screen::wallet_tiers); }

}  // namespace loyalty::console
