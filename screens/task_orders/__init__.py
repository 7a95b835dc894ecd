"""商品房维修支取申请 and the task-order flow: communities, form, house grid, confirmation, end page."""
