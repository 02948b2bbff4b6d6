"""Generates an audit folder with N measured streams, for the benchmarks of `check` and
`build` against the audit's size: the sample plus a chain of unit operations (feed ->
unit -> next unit, waste and steam side streams; every 50th steam stream measured the
same in all three batches). Needs openpyxl (PyPI).

Usage: python3 benches/large_audit.py N OUT"""
import openpyxl, random, shutil, sys, os
n, out = int(sys.argv[1]), sys.argv[2]
src = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'sample-audit')
shutil.rmtree(out, ignore_errors=True)
shutil.copytree(src, out)
wb = openpyxl.load_workbook(f'{src}/data/balance.xlsx')
ws = wb.worksheets[0]
rng = random.Random(n)
count = ws.max_row - 1
units = []
k = 6
flow_in = None  # (id, value) of the link into the next unit
sid = 27
def add(frm, to, kind, value, same=False):
    global sid, count
    vals = [value] * 3 if same else [round(value * (1 + rng.uniform(-0.04, 0.04)), 4) for _ in range(3)]
    ws.append([f'S{sid:05d}', f'物流{sid}', f'Stream {sid}', frm, to, kind, 't'] + vals)
    sid += 1
    count += 1
while count < n:
    u = f'U{k}'
    units.append(u)
    link = flow_in[1] if flow_in else 0.0
    feed = rng.uniform(1, 50)
    steam = rng.uniform(0.1, 5)
    waste = rng.uniform(0, (link + feed) * 0.3)
    nxt = link + feed + steam - waste
    add(None, u, '原料', feed)
    add(None, u, '蒸汽', steam, same=(k % 50 == 0))
    add(u, None, '废水', waste)
    if count + 3 >= n or k % 200 == 0:
        add(u, None, '产品', nxt)
        flow_in = None
    else:
        add(u, f'U{k+1}', '中间品', nxt)
        flow_in = (u, nxt)
    k += 1
wb.save(f'{out}/data/balance.xlsx')
extra = ''.join(f'''  - id: {u}
    name:
      zh: 单元{u}
      en: Unit {u}
    function:
      zh: 生成的单元
      en: A generated unit
''' for u in units)
# The units go after the sample's, at the end of the unit_operations list.
y0 = open(f'{src}/narratives/03-assessment.yaml').read()
i0 = y0.index('unit_operations:'); j0 = y0.index('\n\n', i0)
y = y0[:j0] + '\n' + extra.rstrip('\n') + y0[j0:]
open(f'{out}/narratives/03-assessment.yaml', 'w').write(y)
print(count, 'streams,', len(units) + 5, 'units')
