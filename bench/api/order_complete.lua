-- wrk: completed orders with unique ids per thread, for durable order completions.
local counter = 0
local thread_id = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  thread_id = id
end
request = function()
  counter = counter + 1
  local member = 1 + ((thread_id * 100003 + counter * 7919) % 100000)
  local body = string.format('{"order_id":"W%d-%d","member_id":"M%d","status":"completed","amount_vnd":1000000}',
                             thread_id, counter, member)
  return wrk.format("POST", nil, nil, body)
end
