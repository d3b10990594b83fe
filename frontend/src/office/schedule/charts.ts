// The statistics' charts as ECharts options: pure functions of the counts,
// so that what the charts say is tested without a canvas.

import type { Stats } from './api'
import { TYPES } from './api'

/** Activities per leader, stacked by type (a bar per leader, in rank order). */
export function byLeaderOption(st: Stats) {
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: TYPES, top: 0 },
    grid: { left: 40, right: 16, top: 40, bottom: 56 },
    xAxis: { type: 'category', data: st.byLeader.map((r) => r.name), axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: TYPES.map((t) => ({
      name: t,
      type: 'bar',
      stack: 'count',
      data: st.byLeader.map((r) => r.byType?.[t] ?? 0),
    })),
  }
}

/** Activities by type (a pie). */
export function byTypeOption(st: Stats) {
  return {
    tooltip: { trigger: 'item', formatter: '{b}：{c} 项（{d}%）' },
    series: [{ type: 'pie', radius: ['35%', '65%'], data: st.byType.map((c) => ({ name: c.key, value: c.count })) }],
  }
}

/** Days with activities and days away, per leader. */
export function daysOption(st: Stats) {
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: ['活动天数', '外出天数'], top: 0 },
    grid: { left: 40, right: 16, top: 40, bottom: 56 },
    xAxis: { type: 'category', data: st.byLeader.map((r) => r.name), axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: '活动天数', type: 'bar', data: st.byLeader.map((r) => r.days) },
      { name: '外出天数', type: 'bar', data: st.byLeader.map((r) => r.daysAway) },
    ],
  }
}

/** The first and last day of a month ("2026-03") as the statistics' period. */
export function monthRange(month: string): [string, string] {
  const [y, m] = month.split('-').map(Number)
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return [`${month}-01`, `${month}-${String(last).padStart(2, '0')}`]
}
