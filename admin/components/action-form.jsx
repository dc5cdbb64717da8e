import React, { useEffect, useState } from 'react'
import { ApiClient, useNotice } from 'adminjs'
import { Box, Button, FormGroup, Label, Input, TextArea, Text, H4, MessageBox } from '@adminjs/design-system'
import { useNavigate } from 'react-router'

const api = new ApiClient()

const MISSING = { slot: 'Pick one of the free times.', select: 'Choose one from the list.', date: 'Pick a day.' }

/**
 * One form for every custom action. The action's `custom.fields` describes
 * the inputs; a GET (form data only, never a change) loads choices and free
 * slots; the submit is a POST that calls the service.
 */
const ActionForm = (props) => {
  const { resource, action, record } = props
  const spec = action.custom || {}
  const fields = spec.fields || []
  const [values, setValues] = useState(() => Object.fromEntries(fields.map((f) => [f.name, f.initial || ''])))
  const [form, setForm] = useState({ choices: {}, slots: [], info: null })
  const [errors, setErrors] = useState({})
  const [busy, setBusy] = useState(false)
  const addNotice = useNotice()
  const navigate = useNavigate()

  const call = (data, params) => {
    const base = { resourceId: resource.id, actionName: action.name }
    const req = data ? { ...base, data, method: 'post' } : { ...base, params, method: 'get' }
    return record ? api.recordAction({ ...req, recordId: record.id }) : api.resourceAction(req)
  }

  const refreshKeys = fields.filter((f) => f.refreshes).map((f) => values[f.name]).join('|')
  useEffect(() => {
    const params = {}
    for (const f of fields) if (f.refreshes && values[f.name]) params[f.name] = values[f.name]
    call(null, params).then((res) => setForm(res.data.form || { choices: {}, slots: [] })).catch(() => undefined)
  }, [refreshKeys])

  const set = (name, value) => setValues((v) => ({ ...v, [name]: value }))

  const submit = async (event) => {
    event.preventDefault()
    // Required fields are named before anything is sent; the service still checks everything.
    const missing = fields.filter((f) => f.required && (!f.adminsOnly || form.onBehalf) && !String(values[f.name] || '').trim())
    if (missing.length) {
      setErrors(Object.fromEntries(missing.map((f) => [f.name, { message: MISSING[f.type] || 'Fill this in.' }])))
      addNotice({ message: `Please fill in: ${missing.map((f) => f.label).join(', ')}.`, type: 'error' })
      return
    }
    setBusy(true)
    try {
      const data = new FormData()
      for (const [k, v] of Object.entries(values)) if (v !== '') data.append(k, v)
      // Refusals come back as 4xx with the notice in the body (axios rejects them).
      const res = await call(data).catch((err) => {
        if (err && err.response && err.response.data) return err.response
        throw err
      })
      const { notice, redirectUrl, errors: fieldErrors } = res.data
      if (notice) addNotice(notice)
      setErrors(fieldErrors || {})
      if (notice && notice.type === 'success') {
        // The panel's routes include its root path (/admin/resources/…).
        if (redirectUrl) navigate(redirectUrl)
        else call(null, {}).then((r) => setForm(r.data.form || form))
      }
    } catch (_unreachable) {
      addNotice({ message: 'The server could not be reached. Try again.', type: 'error' })
    } finally {
      setBusy(false)
    }
  }

  const input = (f) => {
    const common = { id: f.name, name: f.name, value: values[f.name], onChange: (e) => set(f.name, e.target.value) }
    if (f.type === 'textarea') return <TextArea {...common} rows={4} width={1} />
    if (f.type === 'date') {
      const days = form.days || {}
      return (
        <>
          <Input {...common} type="date" min={days.min} max={days.max} aria-describedby={days.zone ? `${f.name}-zone` : undefined} />
          {days.zone && <Text id={`${f.name}-zone`} fontSize="sm" color="grey60" mt="sm" data-testid="day-zone">A clinic day; times below are {days.zone}.</Text>}
        </>
      )
    }
    if (f.type === 'select') {
      const options = f.options || (form.choices && form.choices[f.name]) || []
      return (
        <select {...common} style={{ padding: 8, minWidth: 320 }} data-testid={`select-${f.name}`}>
          <option value="">{f.placeholder || '—'}</option>
          {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      )
    }
    if (f.type === 'slot') {
      const slots = form.slots || []
      if (!slots.length) return <Text color="grey60">{form.slotHint || 'Pick a date to see the free times.'}</Text>
      return (
        <Box flex flexDirection="row" style={{ flexWrap: 'wrap', gap: 8 }} data-testid="slots" aria-label={form.days ? `Free times, ${form.days.zone}` : 'Free times'}>
          {slots.map((s) => (
            <Button key={s.startsAt} type="button" size="sm" variant={values[f.name] === s.startsAt ? 'contained' : 'outlined'}
              onClick={() => set(f.name, s.startsAt)}>{s.label}</Button>
          ))}
        </Box>
      )
    }
    return <Input {...common} width={1} />
  }

  return (
    <Box as="form" variant="container" onSubmit={submit} data-testid="action-form">
      {spec.intro && <MessageBox mb="xl" message={spec.intro} variant="info" />}
      {form.info && <H4 mb="lg">{form.info}</H4>}
      {fields.filter((f) => !f.adminsOnly || form.onBehalf).map((f) => (
        <FormGroup key={f.name} error={!!errors[f.name]}>
          <Label htmlFor={f.name} required={!!f.required}>{f.label}</Label>
          {input(f)}
          {errors[f.name] && <Text color="error" mt="sm">{errors[f.name].message || errors[f.name]}</Text>}
        </FormGroup>
      ))}
      <Button type="submit" variant="contained" disabled={busy} data-testid="action-submit">{spec.submitLabel || 'Save'}</Button>
    </Box>
  )
}

export default ActionForm
